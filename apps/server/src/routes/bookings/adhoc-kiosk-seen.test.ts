import { createStaffSession, replaceOpeningRules, schema } from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

describe('"call now" and the kiosk seen recently (API, pglite)', () => {
  let world: ApiWorld;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    // Open all day every day, so that "call now" depends only on the kiosk.
    await replaceOpeningRules(
      world.database.db,
      world.a.home.id,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '00:00', endTime: '23:59' })),
    );
  });
  afterAll(async () => {
    await world?.close();
  });

  const callNow = (headers: Record<string, string>) =>
    world.request('/api/bookings/adhoc', {
      headers,
      json: { householdId: world.a.household.id, contactId: world.a.contact.id },
    });

  /** A session of Home B's admin (the fixture callers have Home B's teacher only). */
  async function adminOfHomeB(): Promise<Record<string, string>> {
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(world.database.db, {
      staffId: world.b.admin.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    return { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  }

  it('refuses with 409 kiosk-offline and the plain words while the kiosk has been silent, books once it is heard', async () => {
    const now = world.services.now();
    await world.database.db
      .update(schema.kiosks)
      .set({ lastSeenAt: new Date(now.getTime() - 30 * 60_000) })
      .where(eq(schema.kiosks.id, world.a.kiosk.id));

    const refused = await callNow(world.headersFor('adminA'));
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string; details: { reason: string } } };
    expect(body.error).toMatchObject({ code: 'conflict', details: { reason: 'kiosk-offline' } });
    expect(body.error.message).toMatch(/10 minutes/);

    // Another Home's admin cannot reach Home A's household at all.
    expect((await callNow(await adminOfHomeB())).status).toBe(404);

    // The kiosk's tablet asks the server something: it is on again, and the call goes to it.
    expect((await world.request('/api/kiosk/me', { as: 'kioskA' })).status).toBe(200);
    const booked = await callNow(world.headersFor('adminA'));
    expect(booked.status).toBe(201);
    expect(await booked.json()).toMatchObject({ kioskId: world.a.kiosk.id, source: 'adhoc' });
  });
});

import { createStaffSession } from '@affection/db';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_AUDIO_HEADER, KIOSK_CONTACT_EVERY_MS, kioskAudioOf } from '../../auth/kiosk-contact.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { ApiResponse } from '../../contract.ts';

type KioskBody = ApiResponse<'GET /api/kiosks'>['items'][number];
type KioskWithCode = ApiResponse<'POST /api/kiosks'>;
type Enrolled = ApiResponse<'POST /api/kiosk/enrol'>;

describe('kiosk sound header', () => {
  it('keeps the three states and ignores anything else', () => {
    expect(kioskAudioOf('ok')).toBe('ok');
    expect(kioskAudioOf(' no-output ')).toBe('no-output');
    expect(kioskAudioOf('locked')).toBe('locked');
    expect(kioskAudioOf(undefined)).toBeNull();
    expect(kioskAudioOf('')).toBeNull();
    expect(kioskAudioOf('OK')).toBeNull();
    expect(kioskAudioOf('unknown')).toBeNull();
    expect(kioskAudioOf('ok, no-output')).toBeNull();
  });
});

describe('kiosk sound state on the kiosk list (pglite)', () => {
  let world: ApiWorld;
  let start: Date;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    start = world.services.now();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(() => {
    world.setNow(start);
  });

  async function enrolledKiosk(): Promise<{ id: string; token: string }> {
    const res = await world.request('/api/kiosks', { as: 'adminA', json: { name: `声音${++serial}号机` } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as KioskWithCode;
    const enrolled = await world.request('/api/kiosk/enrol', { json: { code: created.enrolmentCode } });
    expect(enrolled.status).toBe(200);
    return { id: created.kiosk.id, token: ((await enrolled.json()) as Enrolled).deviceToken };
  }

  async function asKiosk(token: string, audio?: string): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Kiosk ${token}` };
    if (audio !== undefined) headers[KIOSK_AUDIO_HEADER] = audio;
    return Promise.resolve(world.app.request('/api/kiosk/me', { headers }));
  }

  async function listed(id: string): Promise<KioskBody> {
    const res = await world.request('/api/kiosks', { as: 'adminA' });
    expect(res.status).toBe(200);
    const kiosk = ((await res.json()) as { items: KioskBody[] }).items.find((k) => k.id === id);
    if (!kiosk) throw new Error(`kiosk ${id} not listed`);
    return kiosk;
  }

  function at(offsetMs: number): Date {
    const date = new Date(start.getTime() + offsetMs);
    world.setNow(date);
    return date;
  }

  it('lists a kiosk that never said with no sound state', async () => {
    const { id, token } = await enrolledKiosk();
    at(500);
    expect((await asKiosk(token)).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: null, audioCheckedAt: null });
  });

  it('stores the state it sends, a change at once, the same state again only after the minute', async () => {
    const { id, token } = await enrolledKiosk();
    const first = at(1_000);
    expect((await asKiosk(token, 'locked')).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: 'locked', audioCheckedAt: first.toISOString() });

    // After the first tap the sound does not start: written at once, within the minute.
    const changed = at(5_000);
    expect((await asKiosk(token, 'no-output')).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: 'no-output', audioCheckedAt: changed.toISOString() });

    at(5_000 + KIOSK_CONTACT_EVERY_MS - 1_000);
    await asKiosk(token, 'no-output');
    expect((await listed(id)).audioCheckedAt).toBe(changed.toISOString());

    const later = at(5_000 + KIOSK_CONTACT_EVERY_MS);
    await asKiosk(token, 'no-output');
    expect(await listed(id)).toMatchObject({ audioState: 'no-output', audioCheckedAt: later.toISOString() });

    const fixed = at(6_000 + KIOSK_CONTACT_EVERY_MS);
    await asKiosk(token, 'ok');
    expect(await listed(id)).toMatchObject({ audioState: 'ok', audioCheckedAt: fixed.toISOString() });
  });

  it('ignores a junk state: the request works, the stored state stays', async () => {
    const { id, token } = await enrolledKiosk();
    const first = at(2_000);
    await asKiosk(token, 'ok');
    for (const [index, junk] of ['loud', 'OK', '', 'no-output; x'].entries()) {
      at(2_000 + (index + 1) * KIOSK_CONTACT_EVERY_MS);
      expect((await asKiosk(token, junk)).status, JSON.stringify(junk)).toBe(200);
    }
    expect(await listed(id)).toMatchObject({ audioState: 'ok', audioCheckedAt: first.toISOString() });
  });

  it('records nothing for a wrong or revoked token', async () => {
    const { id, token } = await enrolledKiosk();
    expect((await asKiosk(newToken(), 'no-output')).status).toBe(401);
    const revoke = await world.request(`/api/kiosks/${id}/revoke`, { as: 'adminA', method: 'POST' });
    expect(revoke.status).toBe(200);
    at(3_000);
    expect((await asKiosk(token, 'no-output')).status).toBe(401);
    expect(await listed(id)).toMatchObject({ audioState: null });
  });

  it("shows Home A's kiosk sound to Home A only", async () => {
    const { id, token } = await enrolledKiosk();
    at(4_000);
    await asKiosk(token, 'no-output');
    const sessionToken = newToken();
    const csrf = newToken();
    await createStaffSession(world.database.db, {
      staffId: world.b.admin.id,
      tokenHash: hashToken(sessionToken),
      csrfToken: csrf,
      now: world.services.now(),
      expiresAt: new Date(world.services.now().getTime() + 3600_000),
    });
    const res = await world.app.request('/api/kiosks', {
      headers: { cookie: `${STAFF_COOKIE}=${sessionToken}`, [CSRF_HEADER]: csrf },
    });
    expect(res.status).toBe(200);
    const items = ((await res.json()) as { items: KioskBody[] }).items;
    expect(items.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    expect((await listed(id)).audioState).toBe('no-output');
    expect((await world.request('/api/kiosks', { as: 'teacherA' })).status).toBe(403);
  });
});

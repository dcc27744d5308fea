import { createStaffSession, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  KIOSK_AUDIO_HEADER,
  KIOSK_CONTACT_EVERY_MS,
  KIOSK_VERSION_HEADER,
  kioskAudioOf,
  kioskVersionOf,
} from '../../auth/kiosk-contact.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { ApiResponse } from '../../contract.ts';

type KioskBody = ApiResponse<'GET /api/kiosks'>['items'][number];
type KioskWithCode = ApiResponse<'POST /api/kiosks'>;
type Enrolled = ApiResponse<'POST /api/kiosk/enrol'>;

describe('kiosk version header', () => {
  it('keeps short printable versions and ignores the rest', () => {
    expect(kioskVersionOf('1.4.0')).toBe('1.4.0');
    expect(kioskVersionOf('  2026.12.05-3 ')).toBe('2026.12.05-3');
    expect(kioskVersionOf('1.4.0 (a1b2c3)')).toBe('1.4.0 (a1b2c3)');
    expect(kioskVersionOf(undefined)).toBeNull();
    expect(kioskVersionOf('')).toBeNull();
    expect(kioskVersionOf('   ')).toBeNull();
    expect(kioskVersionOf('1'.repeat(33))).toBeNull();
    expect(kioskVersionOf('1'.repeat(32))).toBe('1'.repeat(32));
    expect(kioskVersionOf('1.4\t0')).toBeNull();
    expect(kioskVersionOf('1.4\u00000')).toBeNull();
    expect(kioskVersionOf('版本1.0')).toBeNull();
  });
});

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

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('kiosk last contact, version and sound state (%s)', (kind) => {
  let world: ApiWorld;
  let start: Date;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    start = world.services.now();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(() => {
    world.setNow(start);
  });

  /** A new kiosk of Home A, enrolled; answers its id and device token. */
  async function enrolledKiosk(): Promise<{ id: string; token: string }> {
    const res = await world.request('/api/kiosks', { as: 'adminA', json: { name: `联系${++serial}号机` } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as KioskWithCode;
    const enrolled = await world.request('/api/kiosk/enrol', { json: { code: created.enrolmentCode } });
    expect(enrolled.status).toBe(200);
    return { id: created.kiosk.id, token: ((await enrolled.json()) as Enrolled).deviceToken };
  }

  /** A request of the kiosk, with the version and sound state headers it is given. */
  async function asKiosk(token: string, sent: { version?: string; audio?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Kiosk ${token}` };
    if (sent.version !== undefined) headers[KIOSK_VERSION_HEADER] = sent.version;
    if (sent.audio !== undefined) headers[KIOSK_AUDIO_HEADER] = sent.audio;
    return Promise.resolve(world.app.request('/api/kiosk/me', { headers }));
  }

  /** `GET /api/kiosks` as Home B's admin (a session of its own: the world signs in Home A's admin only). */
  async function listedToHomeBAdmin(): Promise<Response> {
    const sessionToken = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(world.database.db, {
      staffId: world.b.admin.id,
      tokenHash: hashToken(sessionToken),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    return world.app.request('/api/kiosks', {
      headers: { cookie: `${STAFF_COOKIE}=${sessionToken}`, [CSRF_HEADER]: csrf },
    });
  }

  async function listed(id: string, as: 'adminA' = 'adminA'): Promise<KioskBody> {
    const res = await world.request('/api/kiosks', { as });
    expect(res.status).toBe(200);
    const kiosk = ((await res.json()) as { items: KioskBody[] }).items.find((k) => k.id === id);
    if (!kiosk) throw new Error(`kiosk ${id} not listed`);
    return kiosk;
  }

  async function storedRow(id: string) {
    const [row] = await world.database.db.select().from(schema.kiosks).where(eq(schema.kiosks.id, id));
    return row;
  }

  function at(offsetMs: number): Date {
    const date = new Date(start.getTime() + offsetMs);
    world.setNow(date);
    return date;
  }

  it('lists a kiosk that never reached the server with no last contact and no version, with the server clock', async () => {
    const { id } = await enrolledKiosk();
    expect(await listed(id)).toMatchObject({ status: 'enrolled', lastSeenAt: null, appVersion: null });
    const when = at(90_000);
    const res = await world.request('/api/kiosks', { as: 'adminA' });
    expect(((await res.json()) as { now: string }).now).toBe(when.toISOString());
  });

  it('writes the last contact on a kiosk request, not again within the minute, again after it', async () => {
    const { id, token } = await enrolledKiosk();
    const first = at(1_000);
    expect((await asKiosk(token, { version: '1.4.0' })).status).toBe(200);
    expect(await listed(id)).toMatchObject({ lastSeenAt: first.toISOString(), appVersion: '1.4.0' });

    at(1_000 + KIOSK_CONTACT_EVERY_MS - 1_000);
    expect((await asKiosk(token, { version: '1.4.0' })).status).toBe(200);
    expect((await storedRow(id))?.lastSeenAt?.toISOString()).toBe(first.toISOString());

    const later = at(1_000 + KIOSK_CONTACT_EVERY_MS);
    expect((await asKiosk(token)).status).toBe(200);
    expect(await listed(id)).toMatchObject({ lastSeenAt: later.toISOString(), appVersion: '1.4.0' });
  });

  it('writes a new version at once, within the minute', async () => {
    const { id, token } = await enrolledKiosk();
    at(2_000);
    await asKiosk(token, { version: '1.4.0' });
    const updated = at(12_000);
    expect((await asKiosk(token, { version: '1.5.0' })).status).toBe(200);
    expect(await listed(id)).toMatchObject({ lastSeenAt: updated.toISOString(), appVersion: '1.5.0' });
  });

  it('ignores a junk version: the request works, the stored version stays', async () => {
    const { id, token } = await enrolledKiosk();
    at(3_000);
    await asKiosk(token, { version: '1.4.0' });
    const junk = ['9'.repeat(40), '1.4\t9', '   ', 'é1.0'];
    for (const [index, version] of junk.entries()) {
      at(3_000 + (index + 1) * KIOSK_CONTACT_EVERY_MS);
      expect((await asKiosk(token, { version })).status, JSON.stringify(version)).toBe(200);
    }
    const last = await listed(id);
    expect(last.appVersion).toBe('1.4.0');
    expect(last.lastSeenAt).toBe(
      new Date(start.getTime() + 3_000 + junk.length * KIOSK_CONTACT_EVERY_MS).toISOString(),
    );
  });

  it('records nothing for a wrong or revoked token', async () => {
    const { id, token } = await enrolledKiosk();
    expect((await asKiosk(newToken(), { version: '6.6.6' })).status).toBe(401);
    const revoke = await world.request(`/api/kiosks/${id}/revoke`, { as: 'adminA', method: 'POST' });
    expect(revoke.status).toBe(200);
    at(4_000);
    expect((await asKiosk(token, { version: '6.6.6' })).status).toBe(401);
    expect(await listed(id)).toMatchObject({ lastSeenAt: null, appVersion: null });
  });

  it("shows Home B's admin only Home B's kiosks, and Home A's contact to Home A only", async () => {
    const { id, token } = await enrolledKiosk();
    at(5_000);
    await asKiosk(token, { version: '3.0.1' });
    const res = await listedToHomeBAdmin();
    expect(res.status).toBe(200);
    const text = await res.text();
    const items = (JSON.parse(text) as { items: KioskBody[] }).items;
    expect(items.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    expect(text).not.toContain(id);
    expect(text).not.toContain('3.0.1');
    expect((await listed(id)).appVersion).toBe('3.0.1');
    for (const who of ['teacherA', 'teacherB', 'kioskA'] as const) {
      expect((await world.request('/api/kiosks', { as: who })).status, who).toBe(403);
    }
    expect((await world.request('/api/kiosks')).status).toBe(401);
  });

  it('lists a kiosk that never said with no sound state', async () => {
    const { id, token } = await enrolledKiosk();
    at(500);
    expect((await asKiosk(token)).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: null, audioCheckedAt: null });
  });

  it('stores the state it sends, a change at once, the same state again only after the minute', async () => {
    const { id, token } = await enrolledKiosk();
    const first = at(1_000);
    expect((await asKiosk(token, { audio: 'locked' })).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: 'locked', audioCheckedAt: first.toISOString() });

    // After the first tap the sound does not start: written at once, within the minute.
    const changed = at(5_000);
    expect((await asKiosk(token, { audio: 'no-output' })).status).toBe(200);
    expect(await listed(id)).toMatchObject({ audioState: 'no-output', audioCheckedAt: changed.toISOString() });

    at(5_000 + KIOSK_CONTACT_EVERY_MS - 1_000);
    await asKiosk(token, { audio: 'no-output' });
    expect((await listed(id)).audioCheckedAt).toBe(changed.toISOString());

    const later = at(5_000 + KIOSK_CONTACT_EVERY_MS);
    await asKiosk(token, { audio: 'no-output' });
    expect(await listed(id)).toMatchObject({ audioState: 'no-output', audioCheckedAt: later.toISOString() });

    const fixed = at(6_000 + KIOSK_CONTACT_EVERY_MS);
    await asKiosk(token, { audio: 'ok' });
    expect(await listed(id)).toMatchObject({ audioState: 'ok', audioCheckedAt: fixed.toISOString() });
  });

  it('ignores a junk state: the request works, the stored state stays', async () => {
    const { id, token } = await enrolledKiosk();
    const first = at(2_000);
    await asKiosk(token, { audio: 'ok' });
    for (const [index, junk] of ['loud', 'OK', '', 'no-output; x'].entries()) {
      at(2_000 + (index + 1) * KIOSK_CONTACT_EVERY_MS);
      expect((await asKiosk(token, { audio: junk })).status, JSON.stringify(junk)).toBe(200);
    }
    expect(await listed(id)).toMatchObject({ audioState: 'ok', audioCheckedAt: first.toISOString() });
  });

  it('records nothing for a wrong or revoked token', async () => {
    const { id, token } = await enrolledKiosk();
    expect((await asKiosk(newToken(), { audio: 'no-output' })).status).toBe(401);
    const revoke = await world.request(`/api/kiosks/${id}/revoke`, { as: 'adminA', method: 'POST' });
    expect(revoke.status).toBe(200);
    at(3_000);
    expect((await asKiosk(token, { audio: 'no-output' })).status).toBe(401);
    expect(await listed(id)).toMatchObject({ audioState: null });
  });

  it("shows Home A's kiosk sound to Home A only", async () => {
    const { id, token } = await enrolledKiosk();
    at(4_000);
    await asKiosk(token, { audio: 'no-output' });
    const res = await listedToHomeBAdmin();
    expect(res.status).toBe(200);
    const items = ((await res.json()) as { items: KioskBody[] }).items;
    expect(items.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    expect((await listed(id)).audioState).toBe('no-output');
    expect((await world.request('/api/kiosks', { as: 'teacherA' })).status).toBe(403);
  });
});

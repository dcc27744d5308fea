import { once } from 'node:events';
import { createStaffSession, listAuditForSubject, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { ApiResponse } from '../../contract.ts';
import { ENROLMENT_CODE_TTL_MS } from './enrolment-code.ts';
import { ENROLMENT_THROTTLE_DEFAULTS } from './enrolment-throttle.ts';

type KioskBody = ApiResponse<'GET /api/kiosks'>['items'][number];
type KioskWithCode = ApiResponse<'POST /api/kiosks'>;
type Enrolled = ApiResponse<'POST /api/kiosk/enrol'>;

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { reason?: string; retryAfterSeconds?: number; fields?: { key: string }[] };
  };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('kiosks API (%s)', (kind) => {
  let world: ApiWorld;
  let start: Date;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    start = world.services.now();
    // The Redis-down test stops the server on purpose; the client reports it as error events.
    world.services.redis.on('error', () => {});
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    await world.services.redis.flushdb();
  });
  afterEach(() => {
    world.setNow(start);
  });

  /** `POST /api/kiosk/enrol` from a given client address (the socket's, as Node would give it). */
  function enrol(code: string, address = '198.51.100.7'): Promise<Response> {
    return Promise.resolve(
      world.app.request(
        '/api/kiosk/enrol',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) },
        { incoming: { socket: { remoteAddress: address } } },
      ),
    );
  }

  function asKiosk(deviceToken: string, path = '/api/kiosk/me'): Promise<Response> {
    return Promise.resolve(world.app.request(path, { headers: { authorization: `Kiosk ${deviceToken}` } }));
  }

  async function addKiosk(name = `机器${++serial}`): Promise<KioskWithCode> {
    const res = await world.request('/api/kiosks', { as: 'adminA', json: { name } });
    expect(res.status).toBe(201);
    return (await res.json()) as KioskWithCode;
  }

  async function adminBHeaders(): Promise<Record<string, string>> {
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

  it('adds a kiosk with a one-time 8-digit code valid 10 minutes, stored only as a hash, and enrols it', async () => {
    const created = await addKiosk('二号机');
    expect(created.kiosk).toMatchObject({ name: '二号机', enabled: true, status: 'awaiting-enrolment' });
    expect(created.kiosk.enrolmentCodeActive).toBe(true);
    expect(created.enrolmentCode).toMatch(/^\d{8}$/);
    expect(new Date(created.enrolmentExpiresAt).getTime()).toBe(start.getTime() + ENROLMENT_CODE_TTL_MS);

    const rows = await world.database.db.select().from(schema.kiosks);
    const row = rows.find((r) => r.id === created.kiosk.id);
    expect(row?.enrolmentCodeHash).toBe(hashToken(created.enrolmentCode));
    expect(JSON.stringify(row)).not.toContain(created.enrolmentCode);

    // Typed as shown on the console, with a space.
    const code = `${created.enrolmentCode.slice(0, 4)} ${created.enrolmentCode.slice(4)}`;
    const res = await enrol(code);
    expect(res.status).toBe(200);
    const enrolled = (await res.json()) as Enrolled;
    expect(enrolled).toMatchObject({
      kioskId: created.kiosk.id,
      home: { name: world.a.home.name, timeZone: world.a.home.timeZone },
    });
    expect(enrolled.deviceToken.length).toBeGreaterThanOrEqual(43);

    const me = await asKiosk(enrolled.deviceToken);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      id: created.kiosk.id,
      name: '二号机',
      enabled: true,
      home: { name: world.a.home.name, timeZone: world.a.home.timeZone },
    });

    const list = (await (await world.request('/api/kiosks', { as: 'adminA' })).json()) as { items: KioskBody[] };
    expect(list.items.find((k) => k.id === created.kiosk.id)).toMatchObject({
      status: 'enrolled',
      enrolmentCodeActive: false,
      enrolmentExpiresAt: null,
    });
    expect(list.items.map((k) => k.id)).toContain(world.a.kiosk.id);
    expect(list.items.map((k) => k.id)).not.toContain(world.b.kiosk.id);

    const actions = (await listAuditForSubject(world.database.db, 'kiosk', created.kiosk.id)).map((e) => e.action);
    expect(actions.sort()).toEqual(['kiosk.create', 'kiosk.enrol']);
  });

  it('accepts a code once only', async () => {
    const created = await addKiosk();
    expect((await enrol(created.enrolmentCode)).status).toBe(200);
    const again = await enrol(created.enrolmentCode);
    expect(again.status).toBe(401);
    const body = (await again.json()) as ErrorBody;
    expect(body.error.details?.reason).toBe('code-invalid');
    expect(body.error.message).toMatch(/wrong, already used or expired/);
  });

  it('refuses a code after its 10 minutes, by the server clock', async () => {
    const late = await addKiosk();
    const onTime = await addKiosk();
    world.setNow(new Date(start.getTime() + ENROLMENT_CODE_TTL_MS - 1000));
    expect((await enrol(onTime.enrolmentCode)).status).toBe(200);
    world.setNow(new Date(start.getTime() + ENROLMENT_CODE_TTL_MS));
    expect((await enrol(late.enrolmentCode)).status).toBe(401);
    const list = (await (await world.request('/api/kiosks', { as: 'adminA' })).json()) as { items: KioskBody[] };
    expect(list.items.find((k) => k.id === late.kiosk.id)).toMatchObject({
      status: 'awaiting-enrolment',
      enrolmentCodeActive: false,
    });
  });

  it('issues a new code: the enrolled device stops working, the new code enrols a new device', async () => {
    const created = await addKiosk();
    const first = (await (await enrol(created.enrolmentCode)).json()) as Enrolled;
    const res = await world.request(`/api/kiosks/${created.kiosk.id}/enrolment-code`, {
      as: 'adminA',
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const renewed = (await res.json()) as KioskWithCode;
    expect(renewed.kiosk.status).toBe('awaiting-enrolment');
    expect(renewed.enrolmentCode).toMatch(/^\d{8}$/);
    expect((await asKiosk(first.deviceToken)).status).toBe(401);

    const second = (await (await enrol(renewed.enrolmentCode)).json()) as Enrolled;
    expect(second.kioskId).toBe(created.kiosk.id);
    expect((await asKiosk(second.deviceToken)).status).toBe(200);
    expect((await asKiosk(first.deviceToken)).status).toBe(401);
  });

  it('revokes a kiosk: its token is refused at once, a pending code too; a new code brings it back', async () => {
    const created = await addKiosk();
    const enrolled = (await (await enrol(created.enrolmentCode)).json()) as Enrolled;
    const revoke = await world.request(`/api/kiosks/${created.kiosk.id}/revoke`, { as: 'adminA', method: 'POST' });
    expect(revoke.status).toBe(200);
    expect(((await revoke.json()) as KioskBody).status).toBe('revoked');
    const me = await asKiosk(enrolled.deviceToken);
    expect(me.status).toBe(401);
    expect(((await me.json()) as ErrorBody).error.code).toBe('unauthenticated');
    const again = await world.request(`/api/kiosks/${created.kiosk.id}/revoke`, { as: 'adminA', method: 'POST' });
    expect(again.status).toBe(200);

    const pending = await addKiosk();
    await world.request(`/api/kiosks/${pending.kiosk.id}/revoke`, { as: 'adminA', method: 'POST' });
    expect((await enrol(pending.enrolmentCode)).status).toBe(401);

    const renewed = (await (
      await world.request(`/api/kiosks/${created.kiosk.id}/enrolment-code`, { as: 'adminA', method: 'POST' })
    ).json()) as KioskWithCode;
    const back = (await (await enrol(renewed.enrolmentCode)).json()) as Enrolled;
    expect((await asKiosk(back.deviceToken)).status).toBe(200);

    const actions = (await listAuditForSubject(world.database.db, 'kiosk', created.kiosk.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'kiosk.revoke')).toHaveLength(1);
    expect(actions).toContain('kiosk.enrolment_code');
  });

  it('renames a kiosk and turns it off for bookings without touching its enrolment', async () => {
    const created = await addKiosk();
    const enrolled = (await (await enrol(created.enrolmentCode)).json()) as Enrolled;
    const res = await world.request(`/api/kiosks/${created.kiosk.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { name: '阅览室机', enabled: false },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: '阅览室机', enabled: false, status: 'enrolled' });
    expect(await (await asKiosk(enrolled.deviceToken)).json()).toMatchObject({ name: '阅览室机', enabled: false });
    const event = (await listAuditForSubject(world.database.db, 'kiosk', created.kiosk.id)).find(
      (e) => e.action === 'kiosk.update',
    );
    expect(event?.details).toEqual({ fields: ['name', 'enabled'] });

    const empty = await world.request(`/api/kiosks/${created.kiosk.id}`, { as: 'adminA', method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
    const blank = await world.request('/api/kiosks', { as: 'adminA', json: { name: ' ' } });
    expect(blank.status).toBe(400);
  });

  it('answers 400 for a code that is not 8 digits', async () => {
    for (const code of ['abc', '1234567', '123456789', '']) {
      const res = await enrol(code);
      expect(res.status, code).toBe(400);
      expect(((await res.json()) as ErrorBody).error.details?.fields?.[0]?.key).toBe('validation.enrolment_code');
    }
  });

  it('throttles wrong codes per address: 429 with Retry-After, other addresses unaffected', async () => {
    const created = await addKiosk();
    const wrong = created.enrolmentCode === '00000000' ? '00000001' : '00000000';
    const { failures, windowSeconds } = ENROLMENT_THROTTLE_DEFAULTS;
    for (let i = 0; i < failures; i++) expect((await enrol(wrong, '203.0.113.9')).status).toBe(401);
    const refused = await enrol(created.enrolmentCode, '203.0.113.9');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error.code).toBe('rate-limited');
    expect(body.error.details?.retryAfterSeconds).toBe(retryAfter);

    // The code was never tried, so it still works from elsewhere.
    expect((await enrol(created.enrolmentCode, '203.0.113.10')).status).toBe(200);
  });

  it('counts only wrong codes: a right one gives its try back', async () => {
    const { failures } = ENROLMENT_THROTTLE_DEFAULTS;
    for (let i = 0; i < failures - 1; i++) {
      const created = await addKiosk();
      expect((await enrol(created.enrolmentCode, '192.0.2.44')).status).toBe(200);
    }
    const created = await addKiosk();
    const wrong = created.enrolmentCode === '11111111' ? '22222222' : '11111111';
    for (let i = 0; i < failures - 1; i++) expect((await enrol(wrong, '192.0.2.44')).status).toBe(401);
    expect((await enrol(created.enrolmentCode, '192.0.2.44')).status).toBe(200);
    expect((await enrol(wrong, '192.0.2.44')).status).toBe(401);
    expect((await enrol(wrong, '192.0.2.44')).status).toBe(429);
  });

  it("gives another Home's admin 404 for Home A's kiosk", async () => {
    const headers = await adminBHeaders();
    const id = world.a.kiosk.id;
    const send = (path: string, method: string, json?: unknown) =>
      Promise.resolve(
        world.app.request(path, {
          method,
          headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
          body: json === undefined ? undefined : JSON.stringify(json),
        }),
      );
    expect((await send(`/api/kiosks/${id}`, 'PATCH', { enabled: false })).status).toBe(404);
    expect((await send(`/api/kiosks/${id}/enrolment-code`, 'POST')).status).toBe(404);
    expect((await send(`/api/kiosks/${id}/revoke`, 'POST')).status).toBe(404);
    const listB = (await (await send('/api/kiosks', 'GET')).json()) as { items: KioskBody[] };
    expect(listB.items.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    // Home A's kiosk still works.
    expect((await world.request('/api/kiosk/me', { as: 'kioskA' })).status).toBe(200);
  });

  it('refuses admin kiosk routes to anonymous (401) and to teachers, kiosks and families (403)', async () => {
    const id = world.a.kiosk.id;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/kiosks'],
      ['POST', '/api/kiosks', { name: '偷偷加的' }],
      ['PATCH', `/api/kiosks/${id}`, { enabled: false }],
      ['POST', `/api/kiosks/${id}/enrolment-code`],
      ['POST', `/api/kiosks/${id}/revoke`],
    ];
    for (const [method, path, json] of routes) {
      expect((await world.request(path, { method, json })).status, `${method} ${path}`).toBe(401);
      for (const as of ['teacherA', 'teacherB', 'kioskA', 'familyA'] as const) {
        expect((await world.request(path, { method, json, as })).status, `${as} ${method} ${path}`).toBe(403);
      }
    }
    expect((await world.request('/api/kiosk/me')).status).toBe(401);
    expect((await world.request('/api/kiosk/me', { as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/api/kiosk/me', { as: 'familyA' })).status).toBe(403);
    expect((await world.request('/api/kiosk/me', { headers: { authorization: 'Kiosk not-a-token' } })).status).toBe(
      401,
    );
    expect((await world.request('/api/kiosk/me', { as: 'kioskA' })).status).toBe(200);
  });

  it('enrols, and still throttles, on counts in this process while Redis is down', async () => {
    const created = await addKiosk();
    await world.redisServer.kill('SIGKILL');
    try {
      expect((await enrol(created.enrolmentCode)).status).toBe(200);
      const guesser = '198.51.100.99';
      for (let i = 0; i < ENROLMENT_THROTTLE_DEFAULTS.failures; i += 1) {
        expect((await enrol(String(10_000_000 + i), guesser)).status).toBe(401);
      }
      const refused = await enrol('20000000', guesser);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await world.redisServer.restart();
    }
    if (world.services.redis.status !== 'ready') await once(world.services.redis, 'ready');
    const again = await addKiosk();
    expect((await enrol(again.enrolmentCode)).status).toBe(200);
  });
});

import { listAuditForSubject } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; key: string }[] } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('home settings API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('shows a teacher their own Home and its settings', async () => {
    const res = await world.request('/api/home', { as: 'teacherA' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: world.a.home.id,
      name: '测试之家A',
      timeZone: 'Asia/Shanghai',
      slotMinutes: 15,
      bufferMinutes: 5,
      weeklyQuotaPerChild: 1,
      bookingHorizonDays: 14,
      minNoticeMinutes: 60,
      noContactAlertDays: 14,
      parentJoinWaitMinutes: 2,
      kioskWaitMinutes: 3,
      smsSignName: null,
    });
    const other = (await (await world.request('/api/home', { as: 'teacherB' })).json()) as { id: string };
    expect(other.id).toBe(world.b.home.id);
  });

  it('lets the admin change every setting, audited with field names only', async () => {
    const patch = {
      name: '石门乡留守儿童之家',
      timeZone: 'Asia/Urumqi',
      slotMinutes: 20,
      bufferMinutes: 0,
      weeklyQuotaPerChild: 2,
      bookingHorizonDays: 21,
      minNoticeMinutes: 120,
      noContactAlertDays: 10,
      parentJoinWaitMinutes: 4,
      kioskWaitMinutes: 6,
      smsSignName: '石门小学',
    };
    const res = await world.request('/api/home', { as: 'adminA', method: 'PATCH', json: patch });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject(patch);
    const again = await world.request('/api/home', { as: 'teacherA' });
    expect(await again.json()).toMatchObject(patch);

    const trail = await listAuditForSubject(world.database.db, 'home', world.a.home.id);
    const update = trail.find((e) => e.action === 'home.update');
    expect(update?.actorId).toBe(world.a.admin.id);
    expect(update?.details).toEqual({ fields: Object.keys(patch) });
    expect(JSON.stringify(update?.details)).not.toContain('石门乡');

    // Home B is untouched.
    const b = (await (await world.request('/api/home', { as: 'teacherB' })).json()) as { name: string };
    expect(b.name).toBe('测试之家B');
  });

  it("sets, trims and clears the Home's own SMS signature, and refuses one the provider would not take", async () => {
    const set = async (smsSignName: unknown) =>
      world.request('/api/home', { as: 'adminA', method: 'PATCH', json: { smsSignName } });
    const trimmed = await set('  青山镇Home1 ');
    expect(trimmed.status).toBe(200);
    expect(((await trimmed.json()) as { smsSignName: string }).smsSignName).toBe('青山镇Home1');
    for (const bad of ['石', '石门小学留守儿童之家亲情电话', '石门【小学】', '石门 小学', 'http://x.cn', 42]) {
      const res = await set(bad);
      expect(res.status, String(bad)).toBe(400);
      const body = (await res.json()) as ErrorBody;
      const key = body.error.details?.fields?.find((f) => f.path === 'smsSignName')?.key;
      if (typeof bad === 'string') expect(key, bad).toBe('validation.sms_sign_name');
    }
    const cleared = await set(null);
    expect(((await cleared.json()) as { smsSignName: string | null }).smsSignName).toBeNull();
    // Home B keeps the installation's signature.
    const b = (await (await world.request('/api/home', { as: 'teacherB' })).json()) as { smsSignName: string | null };
    expect(b.smsSignName).toBeNull();
  });

  it('accepts the edges of every range the database allows', async () => {
    for (const patch of [
      { slotMinutes: 1, bufferMinutes: 60, weeklyQuotaPerChild: 0, bookingHorizonDays: 1 },
      { slotMinutes: 120, minNoticeMinutes: 0, noContactAlertDays: 1, weeklyQuotaPerChild: 14 },
      { bookingHorizonDays: 90, minNoticeMinutes: 10_080, noContactAlertDays: 365 },
      { parentJoinWaitMinutes: 1, kioskWaitMinutes: 30 },
      { parentJoinWaitMinutes: 30, kioskWaitMinutes: 1 },
    ]) {
      const res = await world.request('/api/home', { as: 'adminA', method: 'PATCH', json: patch });
      expect(res.status, JSON.stringify(patch)).toBe(200);
    }
  });

  it('answers 400 for values outside the ranges, an unknown zone, unknown fields or an empty patch', async () => {
    const res = await world.request('/api/home', {
      as: 'adminA',
      method: 'PATCH',
      json: {
        slotMinutes: 0,
        bufferMinutes: 61,
        weeklyQuotaPerChild: 15,
        bookingHorizonDays: 91,
        minNoticeMinutes: -1,
        noContactAlertDays: 366,
        parentJoinWaitMinutes: 0,
        kioskWaitMinutes: 31,
        timeZone: 'Mars/Olympus',
        name: '  ',
      },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('validation-failed');
    const paths = body.error.details?.fields?.map((f) => f.path).sort();
    expect(paths).toEqual(
      [
        'bookingHorizonDays',
        'bufferMinutes',
        'minNoticeMinutes',
        'name',
        'noContactAlertDays',
        'parentJoinWaitMinutes',
        'kioskWaitMinutes',
        'slotMinutes',
        'timeZone',
        'weeklyQuotaPerChild',
      ].sort(),
    );
    expect(body.error.details?.fields?.find((f) => f.path === 'timeZone')?.key).toBe('validation.time_zone');

    const unknown = await world.request('/api/home', { as: 'adminA', method: 'PATCH', json: { id: 'hom_x' } });
    expect(unknown.status).toBe(400);
    const empty = await world.request('/api/home', { as: 'adminA', method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
    const fractional = await world.request('/api/home', { as: 'adminA', method: 'PATCH', json: { slotMinutes: 7.5 } });
    expect(fractional.status).toBe(400);
  });

  it('refuses the wrong callers: anonymous 401, teacher on PATCH 403, kiosk and family 403', async () => {
    expect((await world.request('/api/home')).status).toBe(401);
    expect((await world.request('/api/home', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/home', { as: 'familyA' })).status).toBe(403);
    const patch = { method: 'PATCH', json: { slotMinutes: 30 } } as const;
    expect((await world.request('/api/home', { ...patch })).status).toBe(401);
    expect((await world.request('/api/home', { ...patch, as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/api/home', { ...patch, as: 'teacherB' })).status).toBe(403);
    expect((await world.request('/api/home', { ...patch, as: 'kioskA' })).status).toBe(403);
  });

  it('refuses a PATCH without the CSRF token', async () => {
    const headers = world.headersFor('adminA');
    const res = await world.app.request('/api/home', {
      method: 'PATCH',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ slotMinutes: 30 }),
    });
    expect(res.status).toBe(403);
  });
});

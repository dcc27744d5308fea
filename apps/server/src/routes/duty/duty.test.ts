import type { Staff } from '@affection/core';
import { createStaff, createStaffSession, listAuditForSubject, updateStaff } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface DutyStaff {
  staffId: string;
  displayName: string;
  role: string;
  active: boolean;
}

interface PatternEntry extends DutyStaff {
  id: string;
  weekday: number;
}

interface Override extends DutyStaff {
  id: string;
  date: string;
  kind: 'add' | 'remove';
}

interface OnDuty {
  date: string;
  weekday: number;
  staff: DutyStaff[];
  overrides: Override[];
}

interface ErrorBody {
  error: { code: string; details?: { reason?: string; fields?: { path: string; key: string }[] } };
}

const MONDAY = '2026-09-07';
const WEDNESDAY = '2026-09-09';
const SUNDAY = '2026-09-13';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('duty rota API (%s)', (kind) => {
  let world: ApiWorld;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function addTeacher(homeId = world.a.home.id): Promise<Staff> {
    serial += 1;
    return createStaff(world.database.db, homeId, {
      role: 'teacher',
      displayName: `值班老师${serial}`,
      username: `duty-${kind}-${serial}`,
      passwordHash: 'unused',
    });
  }

  function putPattern(json: unknown): Promise<Response> {
    return world.request('/api/duty/pattern', { as: 'adminA', method: 'PUT', json });
  }

  function addOverride(json: unknown): Promise<Response> {
    return world.request('/api/duty/overrides', { as: 'adminA', json });
  }

  async function onDuty(date: string, as: 'teacherA' | 'teacherB' = 'teacherA'): Promise<OnDuty> {
    const res = await world.request(`/api/duty?date=${date}`, { as });
    expect(res.status).toBe(200);
    return (await res.json()) as OnDuty;
  }

  it('replaces the weekly rota; teachers read it and who is on duty on a date', async () => {
    const { a } = world;
    const res = await putPattern([
      { weekday: 1, staffId: a.teacher.id },
      { weekday: 1, staffId: a.admin.id },
      { weekday: 3, staffId: a.teacher.id },
    ]);
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: PatternEntry[] };
    expect(entries.map((e) => [e.weekday, e.staffId])).toEqual(
      expect.arrayContaining([
        [1, a.teacher.id],
        [1, a.admin.id],
        [3, a.teacher.id],
      ]),
    );
    expect(entries.find((e) => e.staffId === a.admin.id)).toMatchObject({
      displayName: a.admin.displayName,
      role: 'admin',
      active: true,
    });
    expect(entries.every((e) => /^dty_[0-9a-z]{16}$/.test(e.id))).toBe(true);

    const read = await world.request('/api/duty/pattern', { as: 'teacherA' });
    expect(((await read.json()) as { entries: PatternEntry[] }).entries).toEqual(entries);
    const readB = await world.request('/api/duty/pattern', { as: 'teacherB' });
    expect(((await readB.json()) as { entries: PatternEntry[] }).entries).toEqual([]);

    const monday = await onDuty(MONDAY);
    expect(monday.weekday).toBe(1);
    expect(monday.staff.map((s) => s.staffId).sort()).toEqual([a.admin.id, a.teacher.id].sort());
    expect((await onDuty(WEDNESDAY)).staff.map((s) => s.staffId)).toEqual([a.teacher.id]);
    const sunday = await onDuty(SUNDAY);
    expect(sunday).toMatchObject({ weekday: 7, staff: [], overrides: [] });
    expect((await onDuty(MONDAY, 'teacherB')).staff).toEqual([]);

    const trail = await listAuditForSubject(world.database.db, 'home', a.home.id);
    const event = trail.find((e) => e.action === 'duty.pattern_replace');
    expect(event?.actorId).toBe(a.admin.id);
    expect(event?.details).toEqual({ entryIds: expect.arrayContaining(entries.map((e) => e.id)) });
  });

  it('applies overrides for one date only: adds, removes, one per person, deletable', async () => {
    const { a } = world;
    const standIn = await addTeacher();
    const removed = await addOverride({ date: MONDAY, staffId: a.teacher.id, kind: 'remove' });
    expect(removed.status).toBe(201);
    const removal = (await removed.json()) as Override;
    expect(removal).toMatchObject({ date: MONDAY, kind: 'remove', staffId: a.teacher.id });
    expect(removal.id).toMatch(/^dto_[0-9a-z]{16}$/);
    const added = (await (await addOverride({ date: MONDAY, staffId: standIn.id, kind: 'add' })).json()) as Override;

    const monday = await onDuty(MONDAY);
    expect(monday.staff.map((s) => s.staffId).sort()).toEqual([a.admin.id, standIn.id].sort());
    expect(monday.overrides.map((o) => o.id).sort()).toEqual([removal.id, added.id].sort());
    // The next Monday follows the weekly rota.
    expect((await onDuty('2026-09-14')).staff.map((s) => s.staffId).sort()).toEqual([a.admin.id, a.teacher.id].sort());

    const twice = await addOverride({ date: MONDAY, staffId: a.teacher.id, kind: 'add' });
    expect(twice.status).toBe(409);
    expect(((await twice.json()) as ErrorBody).error.details?.reason).toBe('already-overridden');

    const listed = await world.request(`/api/duty/overrides?from=${MONDAY}&to=${MONDAY}`, { as: 'teacherA' });
    expect(((await listed.json()) as { items: Override[] }).items).toHaveLength(2);
    const none = await world.request('/api/duty/overrides?from=2026-09-08', { as: 'teacherA' });
    expect(((await none.json()) as { items: Override[] }).items).toEqual([]);

    const del = await world.request(`/api/duty/overrides/${removal.id}`, { as: 'adminA', method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await onDuty(MONDAY)).staff.map((s) => s.staffId)).toContain(a.teacher.id);
    const again = await world.request(`/api/duty/overrides/${removal.id}`, { as: 'adminA', method: 'DELETE' });
    expect(again.status).toBe(404);

    const actions = (await listAuditForSubject(world.database.db, 'duty_override', removal.id)).map((e) => e.action);
    expect(actions.sort()).toEqual(['duty.override_create', 'duty.override_delete']);
    await world.request(`/api/duty/overrides/${added.id}`, { as: 'adminA', method: 'DELETE' });
  });

  it('never puts deactivated staff on duty, and refuses to rota them (422)', async () => {
    const { a } = world;
    const leaver = await addTeacher();
    expect((await putPattern([{ weekday: 3, staffId: leaver.id }])).status).toBe(200);
    expect((await onDuty(WEDNESDAY)).staff.map((s) => s.staffId)).toEqual([leaver.id]);
    await updateStaff(world.database.db, a.home.id, leaver.id, { active: false });
    expect((await onDuty(WEDNESDAY)).staff).toEqual([]);
    const pattern = (await (await world.request('/api/duty/pattern', { as: 'teacherA' })).json()) as {
      entries: PatternEntry[];
    };
    expect(pattern.entries).toEqual([expect.objectContaining({ staffId: leaver.id, active: false })]);

    const refused = await putPattern([{ weekday: 3, staffId: leaver.id }]);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as ErrorBody).error.details?.reason).toBe('staff-inactive');
    expect((await addOverride({ date: WEDNESDAY, staffId: leaver.id, kind: 'add' })).status).toBe(422);
    // Taking a leaver off a date is allowed (it tidies the rota).
    expect((await addOverride({ date: WEDNESDAY, staffId: leaver.id, kind: 'remove' })).status).toBe(201);

    expect(
      (
        await putPattern([
          { weekday: 1, staffId: a.teacher.id },
          { weekday: 1, staffId: a.admin.id },
          { weekday: 3, staffId: a.teacher.id },
        ])
      ).status,
    ).toBe(200);
  });

  it("answers 404 for another Home's staff, in the rota or an override, and changes nothing", async () => {
    const before = (await (await world.request('/api/duty/pattern', { as: 'teacherA' })).json()) as {
      entries: PatternEntry[];
    };
    const res = await putPattern([
      { weekday: 2, staffId: world.a.teacher.id },
      { weekday: 2, staffId: world.b.teacher.id },
    ]);
    expect(res.status).toBe(404);
    const after = (await (await world.request('/api/duty/pattern', { as: 'teacherA' })).json()) as {
      entries: PatternEntry[];
    };
    expect(after).toEqual(before);
    expect((await addOverride({ date: MONDAY, staffId: world.b.teacher.id, kind: 'add' })).status).toBe(404);
    expect((await addOverride({ date: MONDAY, staffId: 'stf_0000000000000000', kind: 'remove' })).status).toBe(404);
  });

  it("gives another Home's admin 404 for Home A's override", async () => {
    const created = (await (
      await addOverride({ date: '2026-10-05', staffId: world.a.teacher.id, kind: 'remove' })
    ).json()) as Override;
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
    const res = await world.app.request(`/api/duty/overrides/${created.id}`, {
      method: 'DELETE',
      headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf },
    });
    expect(res.status).toBe(404);
    expect((await onDuty('2026-10-05')).overrides.map((o) => o.id)).toEqual([created.id]);
    expect((await onDuty('2026-10-05', 'teacherB')).overrides).toEqual([]);
  });

  it('answers 400 for repeated lines, bad weekdays, ids, dates and kinds', async () => {
    const repeated = await putPattern([
      { weekday: 1, staffId: world.a.teacher.id },
      { weekday: 1, staffId: world.a.teacher.id },
    ]);
    expect(repeated.status).toBe(400);
    const fields = ((await repeated.json()) as ErrorBody).error.details?.fields ?? [];
    expect(fields.map((f) => `${f.path} ${f.key}`)).toEqual(['1.staffId validation.duplicate']);

    const bad = await putPattern([{ weekday: 0, staffId: 'teacher' }]);
    expect(bad.status).toBe(400);
    const badKeys = ((await bad.json()) as ErrorBody).error.details?.fields?.map((f) => `${f.path} ${f.key}`);
    expect(badKeys).toEqual(expect.arrayContaining(['0.weekday validation.too_small', '0.staffId validation.id']));

    const override = await addOverride({ date: '2026-09-31', staffId: world.a.teacher.id, kind: 'swap' });
    expect(override.status).toBe(400);
    const overrideKeys = ((await override.json()) as ErrorBody).error.details?.fields?.map((f) => f.path);
    expect(overrideKeys?.sort()).toEqual(['date', 'kind']);

    expect((await world.request('/api/duty', { as: 'teacherA' })).status).toBe(400);
    expect((await world.request('/api/duty?date=tomorrow', { as: 'teacherA' })).status).toBe(400);
    expect(
      (await world.request('/api/duty/overrides/dty_0000000000000000', { as: 'adminA', method: 'DELETE' })).status,
    ).toBe(400);
  });

  it('refuses anonymous callers (401), teachers on admin routes, kiosks and families (403)', async () => {
    const id = 'dto_0000000000000000';
    const teacherRoutes: [string, string][] = [
      ['GET', `/api/duty?date=${MONDAY}`],
      ['GET', '/api/duty/pattern'],
      ['GET', '/api/duty/overrides'],
    ];
    const adminRoutes: [string, string, unknown?][] = [
      ['PUT', '/api/duty/pattern', []],
      ['POST', '/api/duty/overrides', { date: MONDAY, staffId: world.a.teacher.id, kind: 'add' }],
      ['DELETE', `/api/duty/overrides/${id}`],
    ];
    for (const [method, path, json] of [...teacherRoutes, ...adminRoutes] as [string, string, unknown?][]) {
      expect((await world.request(path, { method, json })).status, `${method} ${path}`).toBe(401);
      for (const as of ['kioskA', 'familyA'] as const) {
        expect((await world.request(path, { method, json, as })).status, `${as} ${method} ${path}`).toBe(403);
      }
    }
    for (const [method, path, json] of adminRoutes) {
      for (const as of ['teacherA', 'teacherB'] as const) {
        expect((await world.request(path, { method, json, as })).status, `${as} ${method} ${path}`).toBe(403);
      }
    }
    // Nothing changed for Home A.
    expect((await onDuty(MONDAY)).staff.length).toBeGreaterThan(0);
  });
});

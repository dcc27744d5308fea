import { createStaffSession, listAuditForSubject } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface Rule {
  id: string;
  weekday: number;
  startTime: string;
  endTime: string;
}

interface Exception {
  id: string;
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
  note: string | null;
}

interface Opening {
  timeZone: string;
  rules: Rule[];
  exceptions: Exception[];
}

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string; fields?: { path: string; key: string }[] } };
}

const WEEK = [
  { weekday: 1, startTime: '12:00', endTime: '13:30' },
  { weekday: 1, startTime: '16:30', endTime: '18:00' },
  { weekday: 3, startTime: '16:30', endTime: '18:00' },
  { weekday: 5, startTime: '12:00', endTime: '13:30' },
];

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('opening hours API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function opening(as: 'teacherA' | 'teacherB' = 'teacherA', query = ''): Promise<Opening> {
    const res = await world.request(`/api/opening${query}`, { as });
    expect(res.status).toBe(200);
    return (await res.json()) as Opening;
  }

  async function addException(json: unknown): Promise<Response> {
    return world.request('/api/opening/exceptions', { as: 'adminA', json });
  }

  it('replaces the weekly rules as a whole; teachers read them with the Home zone', async () => {
    const res = await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: WEEK });
    expect(res.status).toBe(200);
    const { rules } = (await res.json()) as { rules: Rule[] };
    expect(rules.map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime }))).toEqual(WEEK);
    expect(rules.every((r) => /^opr_[0-9a-z]{16}$/.test(r.id))).toBe(true);

    const read = await opening();
    expect(read.timeZone).toBe('Asia/Shanghai');
    expect(read.rules).toEqual(rules);
    expect((await opening('teacherB')).rules).toEqual([]);

    const fewer = await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: WEEK.slice(2) });
    expect(((await fewer.json()) as { rules: Rule[] }).rules).toHaveLength(2);
    expect((await opening()).rules.map((r) => r.weekday)).toEqual([3, 5]);

    const trail = await listAuditForSubject(world.database.db, 'home', world.a.home.id);
    const events = trail.filter((e) => e.action === 'opening.rules_replace');
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.actorId === world.a.admin.id)).toBe(true);

    // An empty timetable closes every weekday.
    const none = await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: [] });
    expect(((await none.json()) as { rules: Rule[] }).rules).toEqual([]);
    await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: WEEK });
  });

  it('answers 400 for overlapping ranges on a weekday, reversed times and bad values, keeping the old rules', async () => {
    const overlap = await world.request('/api/opening/rules', {
      as: 'adminA',
      method: 'PUT',
      json: [
        { weekday: 2, startTime: '12:00', endTime: '13:30' },
        { weekday: 2, startTime: '13:00', endTime: '14:00' },
        { weekday: 4, startTime: '13:00', endTime: '14:00' },
      ],
    });
    expect(overlap.status).toBe(400);
    const fields = ((await overlap.json()) as ErrorBody).error.details?.fields ?? [];
    expect(fields.map((f) => [f.path, f.key])).toEqual([
      ['0.startTime', 'validation.overlap'],
      ['1.startTime', 'validation.overlap'],
    ]);

    // Touching ranges do not overlap.
    const touching = await world.request('/api/opening/rules', {
      as: 'adminA',
      method: 'PUT',
      json: [
        { weekday: 2, startTime: '12:00', endTime: '13:00' },
        { weekday: 2, startTime: '13:00', endTime: '14:00' },
      ],
    });
    expect(touching.status).toBe(200);
    await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: WEEK });

    const bad = await world.request('/api/opening/rules', {
      as: 'adminA',
      method: 'PUT',
      json: [
        { weekday: 8, startTime: '12:00', endTime: '13:00' },
        { weekday: 1, startTime: '14:00', endTime: '13:00' },
        { weekday: 1, startTime: '24:00', endTime: '12:5' },
      ],
    });
    expect(bad.status).toBe(400);
    const keys = ((await bad.json()) as ErrorBody).error.details?.fields?.map((f) => `${f.path} ${f.key}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        '0.weekday validation.too_big',
        '1.endTime validation.time_order',
        '2.startTime validation.time',
        '2.endTime validation.time',
      ]),
    );
    const notArray = await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: { rules: [] } });
    expect(notArray.status).toBe(400);
    // Refused requests change nothing.
    expect((await opening()).rules.map((r) => r.startTime)).toEqual(WEEK.map((r) => r.startTime));
  });

  it('adds a closed day and special hours, lists them by date, deletes them', async () => {
    const holiday = await addException({ date: '2027-10-01', closed: true, note: '国庆节' });
    expect(holiday.status).toBe(201);
    const closed = (await holiday.json()) as Exception;
    expect(closed).toMatchObject({ date: '2027-10-01', closed: true, startTime: null, endTime: null, note: '国庆节' });
    expect(closed.id).toMatch(/^opx_[0-9a-z]{16}$/);

    const morning = (await (
      await addException({ date: '2027-07-20', closed: false, startTime: '09:00', endTime: '11:30', note: '快乐周' })
    ).json()) as Exception;
    const afternoon = await addException({ date: '2027-07-20', closed: false, startTime: '14:00', endTime: '17:00' });
    expect(afternoon.status).toBe(201);

    const all = await opening();
    expect(all.exceptions.map((e) => [e.date, e.startTime])).toEqual([
      ['2027-07-20', '09:00'],
      ['2027-07-20', '14:00'],
      ['2027-10-01', null],
    ]);
    const july = await opening('teacherA', '?from=2027-07-01&to=2027-07-31');
    expect(july.exceptions).toHaveLength(2);
    expect((await opening('teacherB')).exceptions).toEqual([]);

    const del = await world.request(`/api/opening/exceptions/${morning.id}`, { as: 'adminA', method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ id: morning.id, bookings: { cancelled: [], kept: [] } });
    const gone = await world.request(`/api/opening/exceptions/${morning.id}`, { as: 'adminA', method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect((await opening('teacherA', '?from=2027-07-20&to=2027-07-20')).exceptions).toHaveLength(1);

    const actions = (await listAuditForSubject(world.database.db, 'opening_exception', morning.id)).map(
      (e) => e.action,
    );
    expect(actions.sort()).toEqual(['opening.exception_create', 'opening.exception_delete']);
    const create = (await listAuditForSubject(world.database.db, 'opening_exception', closed.id))[0];
    expect(create?.details).toEqual({ fields: ['date', 'closed', 'note'] });
  });

  it('answers 409 when an exception clashes with another on the same date', async () => {
    await addException({ date: '2027-11-02', closed: true });
    const openOnClosed = await addException({
      date: '2027-11-02',
      closed: false,
      startTime: '12:00',
      endTime: '13:00',
    });
    expect(openOnClosed.status).toBe(409);
    expect(((await openOnClosed.json()) as ErrorBody).error.details?.reason).toBe('exception-clash');

    await addException({ date: '2027-11-03', closed: false, startTime: '12:00', endTime: '13:00' });
    const overlapping = await addException({ date: '2027-11-03', closed: false, startTime: '12:30', endTime: '14:00' });
    expect(overlapping.status).toBe(409);
    const closedOnOpen = await addException({ date: '2027-11-03', closed: true });
    expect(closedOnOpen.status).toBe(409);
    const touching = await addException({ date: '2027-11-03', closed: false, startTime: '13:00', endTime: '14:00' });
    expect(touching.status).toBe(201);

    // Another Home's exceptions on the same date do not clash.
    expect((await opening('teacherB')).exceptions).toEqual([]);
  });

  it('answers 400 for a closed day with times, an open day without them, a bad date or reversed times', async () => {
    const cases: [unknown, string, string][] = [
      [{ date: '2027-12-01', closed: true, startTime: '12:00' }, 'startTime', 'validation.closed_no_times'],
      [{ date: '2027-12-01', closed: false, startTime: '12:00' }, 'endTime', 'validation.required'],
      [{ date: '2026-02-30', closed: true }, 'date', 'validation.date'],
      [{ date: '2027-12-01', closed: false, startTime: '13:00', endTime: '12:00' }, 'endTime', 'validation.time_order'],
      [{ date: '2027-12-01' }, 'closed', 'validation.required'],
      [{ date: '2027-12-01', closed: true, note: '国庆\u0000节' }, 'note', 'validation.invalid_format'],
      [{ date: '2027-12-01', closed: true, note: '国庆\n节' }, 'note', 'validation.invalid_format'],
      [{ date: '2027-12-01', closed: true, onBookings: 'maybe' }, 'onBookings', 'validation.invalid_option'],
    ];
    for (const [json, path, key] of cases) {
      const res = await addException(json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      const fields = ((await res.json()) as ErrorBody).error.details?.fields ?? [];
      expect(
        fields.map((f) => `${f.path} ${f.key}`),
        JSON.stringify(json),
      ).toContain(`${path} ${key}`);
    }
    expect((await world.request('/api/opening?from=2026-13-01', { as: 'teacherA' })).status).toBe(400);
  });

  it('answers 400 for a date before today in the Home zone, in both languages; today is fine', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(world.services.now());
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const past = await addException({ date: yesterday, closed: true });
    expect(past.status).toBe(400);
    const fields = (((await past.json()) as ErrorBody).error.details?.fields ?? []) as {
      path: string;
      key: string;
      message: Record<string, string>;
    }[];
    const [field] = fields;
    expect(field).toMatchObject({ path: 'date', key: 'validation.date_past' });
    expect(field?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(field?.message.en).toMatch(/passed/);
    const todayClosed = await addException({ date: today, closed: false, startTime: '23:58', endTime: '23:59' });
    expect(todayClosed.status).toBe(201);
    expect((await opening('teacherA', `?from=${yesterday}&to=${yesterday}`)).exceptions).toEqual([]);
  });

  it("gives another Home's admin 404 for Home A's exception", async () => {
    const created = (await (await addException({ date: '2027-01-01', closed: true })).json()) as Exception;
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
    const res = await world.app.request(`/api/opening/exceptions/${created.id}`, {
      method: 'DELETE',
      headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf },
    });
    expect(res.status).toBe(404);
    expect((await opening('teacherA', '?from=2027-01-01&to=2027-01-01')).exceptions).toHaveLength(1);
  });

  it('refuses anonymous callers (401), teachers on admin routes, kiosks and families (403)', async () => {
    const id = 'opx_0000000000000000';
    const adminRoutes: [string, string, unknown?][] = [
      ['PUT', '/api/opening/rules', WEEK],
      ['POST', '/api/opening/exceptions', { date: '2027-02-01', closed: true }],
      ['POST', '/api/opening/closures', { from: '2027-02-01', to: '2027-02-03' }],
      ['POST', '/api/opening/preview', { change: 'closure', from: '2027-02-01', to: '2027-02-03' }],
      ['DELETE', `/api/opening/exceptions/${id}`],
    ];
    for (const [method, path, json] of [['GET', '/api/opening'] as [string, string], ...adminRoutes]) {
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
  });
});

import { createStaffSession, getBooking, listAuditForSubject, listSmsOfBooking, updateHome } from '@affection/db';
import { createBookingLifecycleProducer, createProducerConnection, sendSmsMessage } from '@affection/jobs';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface Outside {
  id: string;
  status: string;
  start: string;
  inHomeZone: { date: string; startTime: string; endTime: string };
  kioskName: string;
  party: { children: { givenName: string }[]; contacts: { name: string; relation: string }[] };
  underWay: boolean;
}

interface ErrorBody {
  error: {
    code: string;
    userMessageKey: string;
    details?: { reason?: string; bookings?: Outside[]; fields?: { path: string; key: string }[] };
  };
}

interface Booked {
  id: string;
  date: string;
  time: string;
  weekday: number;
}

const ZONE = 'Asia/Shanghai';
/** Slot starts of the grid (15-minute calls, 5 minutes apart) in both ranges. */
const TIMES = ['12:00', '12:20', '12:40', '13:00', '16:30', '16:50', '17:10', '17:30'];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
  { weekday, startTime: '12:00', endTime: '13:30' },
  { weekday, startTime: '16:30', endTime: '18:00' },
]);

/** The Shanghai date `days` after today. */
function dateIn(days: number, now: Date): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(now);
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
const ids = (list: readonly { id: string }[]) => list.map((b) => b.id);

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('opening hours and the booked calls (%s)', (kind) => {
  let world: ApiWorld;
  let connection: Redis;
  /** Home A's generated calls, in time order. */
  const booked: Booked[] = [];
  let homeBCall: string;
  let adminB: Record<string, string>;

  async function book(as: 'teacherA' | 'teacherB', date: string, time: string): Promise<string> {
    const home = as === 'teacherA' ? world.a : world.b;
    const res = await world.request('/api/bookings', {
      as,
      json: {
        householdId: home.household.id,
        contactId: home.contact.id,
        start: new Date(`${date}T${time}:00+08:00`).toISOString(),
      },
    });
    expect(res.status, `${date} ${time}`).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    connection = createProducerConnection(world.redisServer.url);
    connection.on('error', () => {});
    const producer = createBookingLifecycleProducer({
      connection,
      db,
      now: world.services.now,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    world.services.onBookingChanged = producer.onBookingChanged;
    for (const home of [world.a, world.b]) {
      await updateHome(db, home.home.id, { minNoticeMinutes: 0, weeklyQuotaPerChild: 14, bookingHorizonDays: 30 });
    }
    const rules = await world.request('/api/opening/rules', { as: 'adminA', method: 'PUT', json: EVERY_DAY });
    expect(rules.status).toBe(200);

    // Home B's admin, to change Home B's hours.
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(db, {
      staffId: world.b.admin.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    adminB = { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf, 'content-type': 'application/json' };
    const rulesB = await world.app.request('/api/opening/rules', {
      method: 'PUT',
      headers: adminB,
      body: JSON.stringify(EVERY_DAY),
    });
    expect(rulesB.status).toBe(200);

    // One call a day for twelve days from the day after tomorrow, at a time spread over both ranges.
    for (let day = 2; day <= 13; day += 1) {
      const date = dateIn(day, now);
      const time = TIMES[(day * 5) % TIMES.length]!;
      booked.push({ id: await book('teacherA', date, time), date, time, weekday: weekdayOf(date) });
    }
    homeBCall = await book('teacherB', dateIn(4, now), '12:00');
  });

  afterAll(async () => {
    connection?.disconnect();
    await world?.close();
  });

  async function preview(json: unknown, as: 'adminA' | 'teacherA' = 'adminA') {
    return world.request('/api/opening/preview', { as, json });
  }

  async function statusOf(id: string, homeId = world.a.home.id) {
    return (await getBooking(world.database.db, homeId, id))?.status;
  }

  it('previews exactly the calls a closure and a change of the weekly rules leave outside, saving nothing', async () => {
    const now = world.services.now();
    const [from, to] = [dateIn(4, now), dateIn(6, now)];
    const res = await preview({ change: 'closure', from, to, note: '国庆节' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { timeZone: string; bookings: Outside[] };
    const expected = booked.filter((b) => b.date >= from && b.date <= to);
    expect(expected.length).toBe(3);
    expect(ids(body.bookings)).toEqual(ids(expected));
    expect(body.timeZone).toBe(ZONE);
    const first = body.bookings[0]!;
    expect(first).toMatchObject({
      status: 'confirmed',
      underWay: false,
      inHomeZone: { date: expected[0]!.date, startTime: expected[0]!.time },
      kioskName: world.a.kiosk.name,
    });
    expect(first.party.children.map((c) => c.givenName)).toEqual([world.a.child.givenName]);
    expect(first.party.contacts.map((c) => c.name)).toEqual([world.a.contact.name]);

    // Without the afternoon range on one weekday: that weekday's afternoon calls, in both weeks.
    const weekday = booked.find((b) => b.time >= '16:30')!.weekday;
    const rules = EVERY_DAY.filter((r) => !(r.weekday === weekday && r.startTime === '16:30'));
    const byRules = (await (await preview({ change: 'rules', rules })).json()) as { bookings: Outside[] };
    const expectedByRules = booked.filter((b) => b.weekday === weekday && b.time >= '16:30');
    expect(expectedByRules.length).toBeGreaterThan(0);
    expect(ids(byRules.bookings)).toEqual(ids(expectedByRules));

    // Special hours on a date that cover only part of the day.
    const date = booked[0]!.date;
    const special = { change: 'exception', date, closed: false, startTime: '12:00', endTime: '12:15' };
    const bySpecial = (await (await preview(special)).json()) as { bookings: Outside[] };
    expect(ids(bySpecial.bookings)).toEqual(booked[0]!.time === '12:00' ? [] : [booked[0]!.id]);

    // Widening the hours leaves nobody outside; nothing was saved by any preview.
    const wider = (await (
      await preview({ change: 'rules', rules: [...EVERY_DAY, { weekday: 1, startTime: '08:00', endTime: '09:00' }] })
    ).json()) as { bookings: Outside[] };
    expect(wider.bookings).toEqual([]);
    const opening = (await (await world.request('/api/opening', { as: 'teacherA' })).json()) as {
      rules: unknown[];
      exceptions: unknown[];
    };
    expect(opening.rules).toHaveLength(EVERY_DAY.length);
    expect(opening.exceptions).toEqual([]);
    for (const b of booked) expect(await statusOf(b.id)).toBe('confirmed');
  });

  it('refuses to save without a choice when calls would be left outside (409, nothing saved), and keeps them on keep', async () => {
    const now = world.services.now();
    const [from, to] = [dateIn(2, now), dateIn(3, now)];
    const expected = booked.filter((b) => b.date >= from && b.date <= to);
    const refused = await world.request('/api/opening/closures', { as: 'adminA', json: { from, to, note: '运动会' } });
    expect(refused.status).toBe(409);
    const error = ((await refused.json()) as ErrorBody).error;
    expect(error.details?.reason).toBe('bookings-affected');
    expect(error.userMessageKey).toBe('error.opening.bookings-affected');
    expect(ids(error.details?.bookings ?? [])).toEqual(ids(expected));
    const nothing = (await (await world.request(`/api/opening?from=${from}&to=${to}`, { as: 'teacherA' })).json()) as {
      exceptions: unknown[];
    };
    expect(nothing.exceptions).toEqual([]);

    const kept = await world.request('/api/opening/closures', {
      as: 'adminA',
      json: { from, to, note: '运动会', onBookings: 'keep' },
    });
    expect(kept.status).toBe(201);
    const body = (await kept.json()) as {
      exceptions: { date: string; closed: boolean; note: string }[];
      bookings: { cancelled: Outside[]; kept: Outside[] };
    };
    expect(body.exceptions.map((e) => [e.date, e.closed, e.note])).toEqual([
      [from, true, '运动会'],
      [to, true, '运动会'],
    ]);
    expect(body.bookings.cancelled).toEqual([]);
    expect(ids(body.bookings.kept)).toEqual(ids(expected));
    for (const b of expected) expect(await statusOf(b.id)).toBe('confirmed');
    const audit = await listAuditForSubject(world.database.db, 'home', world.a.home.id);
    expect(audit.find((e) => e.action === 'opening.closure_create')?.details).toMatchObject({
      onBookings: 'keep',
      cancelledBookingIds: [],
      keptBookingIds: ids(expected),
    });
    // A kept call is not listed again by a later change: it is outside already.
    const again = (await (await preview({ change: 'closure', from, to: dateIn(3, now) })).json()) as {
      bookings: Outside[];
    };
    expect(again.bookings).toEqual([]);
  });

  it('cancels the calls through the booking layer on cancel: reason, audit, the family SMS planned; Home B untouched', async () => {
    const db = world.database.db;
    const now = world.services.now();
    const [from, to] = [dateIn(8, now), dateIn(10, now)];
    const expected = booked.filter((b) => b.date >= from && b.date <= to);
    expect(expected.length).toBe(3);
    // The families were told of their calls: the confirmations went out (through the outbox, as the worker sends).
    for (const b of expected) {
      const confirmation = (await listSmsOfBooking(db, b.id)).find((m) => m.template === 'booking-confirmed');
      expect(confirmation, b.id).toBeDefined();
      const sent = await sendSmsMessage(
        { db, sender: world.services.sms, provider: 'outbox', now: world.services.now },
        confirmation!.id,
      );
      expect(sent.kind).toBe('sent');
    }
    const res = await world.request('/api/opening/closures', {
      as: 'adminA',
      json: { from, to, note: '国庆节', onBookings: 'cancel' },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { bookings: { cancelled: Outside[]; kept: Outside[] } };
    expect(ids(body.bookings.cancelled)).toEqual(ids(expected));
    expect(body.bookings.cancelled.every((b) => b.status === 'cancelled')).toBe(true);
    expect(body.bookings.kept).toEqual([]);
    for (const b of expected) {
      const booking = await getBooking(db, world.a.home.id, b.id);
      expect(booking).toMatchObject({ status: 'cancelled', cancelReason: '之家休息（国庆节）', version: 2 });
      const trail = await listAuditForSubject(db, 'booking', b.id);
      const cancel = trail.find((e) => e.action === 'booking.cancel');
      expect(cancel?.actorId).toBe(world.a.admin.id);
      expect(JSON.stringify(cancel?.details)).not.toContain('国庆');
      const messages = await listSmsOfBooking(db, b.id);
      expect(messages.filter((m) => m.template === 'booking-cancelled').map((m) => m.status)).toEqual(['pending']);
    }
    // The other calls and Home B's call on a closed date of Home A are untouched.
    for (const b of booked.filter((c) => !expected.includes(c))) expect(await statusOf(b.id)).toBe('confirmed');
    expect(await statusOf(homeBCall, world.b.home.id)).toBe('confirmed');
  });

  it('saves nothing and cancels nothing when the change itself is refused', async () => {
    const now = world.services.now();
    const target = booked.find((b) => b.date === dateIn(11, now))!;
    const first = await world.request('/api/opening/exceptions', {
      as: 'adminA',
      json: { date: target.date, closed: false, startTime: '08:00', endTime: '09:00', onBookings: 'cancel' },
    });
    // Special hours replace the day's rules: the call that day is left outside and cancelled.
    expect(first.status).toBe(201);
    expect(ids(((await first.json()) as { bookings: { cancelled: Outside[] } }).bookings.cancelled)).toEqual([
      target.id,
    ]);
    const other = booked.find((b) => b.date === dateIn(12, now))!;
    const before = await getBooking(world.database.db, world.a.home.id, other.id);
    // A closed day on a date with special hours clashes (409): the call of the day is not cancelled.
    await world.request('/api/opening/exceptions', {
      as: 'adminA',
      json: { date: other.date, closed: false, startTime: '20:00', endTime: '21:00', onBookings: 'keep' },
    });
    const clash = await world.request('/api/opening/exceptions', {
      as: 'adminA',
      json: { date: other.date, closed: true, onBookings: 'cancel' },
    });
    expect(clash.status).toBe(409);
    expect(((await clash.json()) as ErrorBody).error.details?.reason).toBe('exception-clash');
    expect(await getBooking(world.database.db, world.a.home.id, other.id)).toEqual(before);
  });

  it("lets Home B's admin close Home B only, and refuses teachers (403) and bad input (400)", async () => {
    const now = world.services.now();
    const date = dateIn(4, now);
    const previewB = await world.app.request('/api/opening/preview', {
      method: 'POST',
      headers: adminB,
      body: JSON.stringify({ change: 'closure', from: date, to: date }),
    });
    expect(ids(((await previewB.json()) as { bookings: Outside[] }).bookings)).toEqual([homeBCall]);
    const closeB = await world.app.request('/api/opening/closures', {
      method: 'POST',
      headers: adminB,
      body: JSON.stringify({ from: date, to: date, onBookings: 'cancel' }),
    });
    expect(closeB.status).toBe(201);
    expect(await statusOf(homeBCall, world.b.home.id)).toBe('cancelled');
    const callA = booked.find((b) => b.date === date)!;
    expect(await statusOf(callA.id)).toBe('confirmed');

    for (const as of ['teacherA', 'teacherB'] as const) {
      expect((await preview({ change: 'closure', from: date, to: date }, as as 'teacherA')).status).toBe(403);
      const closure = await world.request('/api/opening/closures', { as, json: { from: date, to: date } });
      expect(closure.status).toBe(403);
    }

    const yesterday = dateIn(-1, now);
    const cases: [string, unknown, string, string][] = [
      ['/api/opening/closures', { from: dateIn(5, now), to: dateIn(3, now) }, 'to', 'validation.date_order'],
      ['/api/opening/closures', { from: dateIn(1, now), to: dateIn(63, now) }, 'to', 'validation.range_too_long'],
      ['/api/opening/closures', { from: yesterday, to: dateIn(1, now) }, 'from', 'validation.date_past'],
      ['/api/opening/closures', { from: date, to: date, note: '国庆\u0007节' }, 'note', 'validation.invalid_format'],
      ['/api/opening/closures', { from: date, to: date, onBookings: 'all' }, 'onBookings', 'validation.invalid_option'],
      ['/api/opening/exceptions', { date: yesterday, closed: true }, 'date', 'validation.date_past'],
      [
        '/api/opening/preview',
        { change: 'rules', rules: [EVERY_DAY[0], { weekday: 1, startTime: '13:00', endTime: '14:00' }] },
        'rules.0.startTime',
        'validation.overlap',
      ],
      [
        '/api/opening/preview',
        { change: 'exception', date, closed: false, startTime: '14:00', endTime: '13:00' },
        'endTime',
        'validation.time_order',
      ],
      ['/api/opening/preview', { change: 'closure', from: yesterday, to: date }, 'from', 'validation.date_past'],
    ];
    for (const [path, json, field, key] of cases) {
      const res = await world.request(path, { as: 'adminA', json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const fields = ((await res.json()) as ErrorBody).error.details?.fields ?? [];
      expect(
        fields.map((f) => `${f.path} ${f.key}`),
        JSON.stringify(json),
      ).toContain(`${field} ${key}`);
    }
    // 62 days is allowed; a bad kind of change is 400; another Home's exception is 404 in a preview too.
    const longest = await preview({ change: 'closure', from: dateIn(20, now), to: dateIn(81, now) });
    expect(longest.status).toBe(200);
    expect((await preview({ change: 'holiday' })).status).toBe(400);
    const opening = (await (
      await world.app.request(`/api/opening?from=${date}&to=${date}`, { headers: adminB })
    ).json()) as { exceptions: { id: string }[] };
    const missing = await preview({ change: 'delete-exception', id: opening.exceptions[0]!.id });
    expect(missing.status).toBe(404);
  });
});

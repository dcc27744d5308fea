import {
  createChild,
  createContact,
  createHousehold,
  createId,
  createStaffSession,
  listAuditForSubject,
  recordKioskContact,
  schema,
  updateContact,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed, type Policy } from '../../auth/policy.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { listRoutePolicies } from '../define-route.ts';
import { BOOKING_REFUSALS } from './booking-refusal.ts';

interface BookingBody {
  id: string;
  kioskId: string;
  householdId: string;
  contactId: string;
  secondContactId: string | null;
  childIds: string[];
  start: string;
  end: string;
  status: string;
  source: string;
  seriesId: string | null;
  version: number;
  cancelReason: string | null;
  inHomeZone: { timeZone: string; date: string; startTime: string; endTime: string };
  inContactZone?: { timeZone: string; date: string; startTime: string; endTime: string };
}

interface SlotsBody {
  slots: {
    start: string;
    freeKiosks: number;
    inHomeZone: { startTime: string };
    inContactZone: { timeZone: string; startTime: string; endTime: string };
  }[];
}

interface SeriesBody {
  seriesId: string;
  bookings: BookingBody[];
  skipped: { start: string; bookingId: string | null; reason: string }[];
}

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

interface Household {
  id: string;
  childIds: string[];
  contactIds: string[];
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Monday 00:00 UTC (08:00 in Shanghai) of the first week after the real now: the fixtures' sessions stay valid. */
function comingMonday(): Date {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysToMonday = ((8 - new Date(midnight).getUTCDay()) % 7) + 7;
  return new Date(midnight + daysToMonday * DAY);
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('bookings API (%s)', (kind) => {
  let world: ApiWorld;
  let monday: Date;
  let secondKioskId: string;
  let serial = 0;

  /** Monday of the test week + `days`, at `time` in Shanghai, as UTC. */
  const at = (time: string, days = 0) => {
    const [h, m] = time.split(':').map(Number) as [number, number];
    return new Date(monday.getTime() + days * DAY + (h - 8) * HOUR + m * 60_000);
  };

  async function sessionOf(staffId: string): Promise<Record<string, string>> {
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(world.database.db, {
      staffId,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + HOUR),
    });
    return { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  }

  let teacher: Record<string, string>;
  let admin: Record<string, string>;
  let teacherB: Record<string, string>;

  /** Moves the clock and signs the staff in again at the new time. */
  async function setNow(date: Date): Promise<void> {
    world.setNow(date);
    [teacher, admin, teacherB] = await Promise.all([
      sessionOf(world.a.teacher.id),
      sessionOf(world.a.admin.id),
      sessionOf(world.b.teacher.id),
    ]);
  }

  function call(path: string, headers: Record<string, string>, json?: unknown): Promise<Response> {
    return Promise.resolve(
      world.app.request(path, {
        method: json === undefined ? 'GET' : 'POST',
        headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
  }

  const family = () => world.headersFor('familyA');

  async function addHousehold(
    children: number,
    contacts: { approved: boolean; timeZone?: string }[] = [{ approved: true }],
  ): Promise<Household> {
    const db = world.database.db;
    const homeId = world.a.home.id;
    serial += 1;
    const household = await createHousehold(db, homeId, { name: `测试${serial}家` });
    const childIds: string[] = [];
    for (let i = 0; i < children; i += 1) {
      const child = await createChild(db, homeId, { householdId: household.id, familyName: '张', givenName: `小${i}` });
      childIds.push(child.id);
    }
    const contactIds: string[] = [];
    for (const [i, spec] of contacts.entries()) {
      const contact = await createContact(db, homeId, {
        householdId: household.id,
        name: '张家长',
        relation: i === 0 ? 'mother' : 'father',
        phone: `+8613${String(700_000_000 + serial * 10 + i)}`,
        timeZone: spec.timeZone,
      });
      if (spec.approved) {
        await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: monday }, monday);
      }
      contactIds.push(contact.id);
    }
    return { id: household.id, childIds, contactIds };
  }

  function book(household: Household, start: Date, extra: Record<string, unknown> = {}): Promise<Response> {
    return call('/api/bookings', teacher, {
      householdId: household.id,
      contactId: household.contactIds[0],
      start: start.toISOString(),
      ...extra,
    });
  }

  async function expectRefusal(res: Response, status: number, reason: string): Promise<void> {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, reason: body.error.details?.reason }).toEqual({ status, reason });
    expect(body.error.message.length).toBeGreaterThan(10);
  }

  beforeAll(async () => {
    world = await createApiWorld(kind);
    monday = comingMonday();
    await setNow(monday);
    const db = world.database.db;
    const homeId = world.a.home.id;
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5].flatMap((weekday) => [
        { id: createId('openingRule'), homeId, weekday, startTime: '12:00', endTime: '13:30' },
        { id: createId('openingRule'), homeId, weekday, startTime: '16:30', endTime: '18:00' },
      ]),
    );
    secondKioskId = createId('kiosk');
    await db.insert(schema.kiosks).values({ id: secondKioskId, homeId, name: '二号机', enrolledAt: new Date() });
    await db.insert(schema.availabilityWindows).values({
      id: createId('availabilityWindow'),
      contactId: world.a.contact.id,
      weekday: 1,
      startTime: '12:00',
      endTime: '13:00',
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('has a message in zh-CN and en for every refusal', () => {
    for (const reason of BOOKING_REFUSALS) {
      expect(CATALOGS['zh-CN']).toHaveProperty([`error.booking.${reason}`]);
      expect(CATALOGS.en).toHaveProperty([`error.booking.${reason}`]);
    }
  });

  it('lets each caller through only where the policy allows, with 401/403 otherwise and never a 5xx', async () => {
    const routes = listRoutePolicies(world.app).filter((r) =>
      /^\/api\/(family\/)?bookings|available-slots/.test(r.path),
    );
    expect(routes.length).toBe(24);
    const callers: [string, Record<string, string>, Parameters<typeof isAllowed>[1]][] = [
      ['anonymous', {}, { kind: 'anonymous' }],
      ['kiosk', world.headersFor('kioskA'), { kind: 'kiosk', kioskId: 'kio_x', homeId: 'hom_x' }],
      [
        'family',
        family(),
        { kind: 'family', contactId: 'cnt_x', householdId: 'hsh_x', homeId: 'hom_x', deviceId: 'x' },
      ],
      [
        'teacher',
        teacher,
        { kind: 'staff', staffId: 'x', homeId: 'x', role: 'teacher', sessionId: 'x', csrfToken: 'x' },
      ],
      ['admin', admin, { kind: 'staff', staffId: 'x', homeId: 'x', role: 'admin', sessionId: 'x', csrfToken: 'x' }],
    ];
    const failures: string[] = [];
    for (const route of routes) {
      const url = route.path.replace(
        '{id}',
        route.path.includes('series') ? 'ser_0000000000000000' : 'bkg_0000000000000000',
      );
      for (const [name, headers, principal] of callers) {
        const res = await call(url, headers, route.method === 'GET' ? undefined : {});
        const allowed = isAllowed(route.policy as Policy, principal);
        const denied = res.status === 401 || res.status === 403;
        if (allowed === denied || res.status >= 500)
          failures.push(`${name} ${route.method} ${route.path} → ${res.status}`);
        if (name === 'anonymous' && res.status !== 401) failures.push(`anonymous ${route.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("lists the slots inside the contact's windows, or at any time for staff, in both zones", async () => {
    const query = `householdId=${world.a.household.id}&contactId=${world.a.contact.id}&from=${monday.toISOString()}&to=${at('23:00').toISOString()}`;
    const res = await call(`/api/bookings/available-slots?${query}`, teacher);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SlotsBody;
    expect(body.slots.map((s) => s.inHomeZone.startTime)).toEqual(['12:00', '12:20', '12:40']);
    expect(body.slots[0]).toMatchObject({ start: at('12:00').toISOString(), freeKiosks: 2 });
    expect(body.slots[0]?.inContactZone).toMatchObject({ timeZone: 'Asia/Shanghai', startTime: '12:00' });

    const any = (await (
      await call(`/api/bookings/available-slots?${query}&anyTime=true`, teacher)
    ).json()) as SlotsBody;
    expect(any.slots.map((s) => s.inHomeZone.startTime)).toEqual([
      '12:00',
      '12:20',
      '12:40',
      '13:00',
      '16:30',
      '16:50',
      '17:10',
      '17:30',
    ]);

    const mine = await call(
      `/api/family/available-slots?from=${monday.toISOString()}&to=${at('23:00').toISOString()}`,
      family(),
    );
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as SlotsBody).slots).toHaveLength(3);
  });

  it('shows a family abroad its slots in its own zone', async () => {
    const household = await addHousehold(1, [{ approved: true, timeZone: 'Europe/Madrid' }]);
    await world.database.db.insert(schema.availabilityWindows).values({
      id: createId('availabilityWindow'),
      contactId: household.contactIds[0]!,
      weekday: 1,
      startTime: '10:00',
      endTime: '11:00',
    });
    const query = `householdId=${household.id}&contactId=${household.contactIds[0]}&from=${monday.toISOString()}&to=${at('23:00').toISOString()}`;
    const body = (await (await call(`/api/bookings/available-slots?${query}`, teacher)).json()) as SlotsBody;
    expect(body.slots.length).toBeGreaterThan(0);
    for (const slot of body.slots) {
      expect(slot.inContactZone).toMatchObject({ timeZone: 'Europe/Madrid' });
      expect(slot.inContactZone.startTime >= '10:00' && slot.inContactZone.endTime <= '11:00').toBe(true);
    }
    // Madrid is 7 hours behind Shanghai in winter (6 in summer).
    const winter = body.slots[0]?.inHomeZone.startTime.startsWith('17');
    expect(body.slots.map((s) => s.inHomeZone.startTime)).toEqual(winter ? ['17:10', '17:30'] : ['16:30']);
  });

  it('refuses bad ranges, other Homes and other households', async () => {
    const bad = await call(
      `/api/bookings/available-slots?householdId=${world.a.household.id}&contactId=${world.a.contact.id}&from=${at('12:00').toISOString()}&to=${monday.toISOString()}`,
      teacher,
    );
    expect(bad.status).toBe(400);
    const otherHome = await call(
      `/api/bookings/available-slots?householdId=${world.a.household.id}&contactId=${world.a.contact.id}`,
      teacherB,
    );
    expect(otherHome.status).toBe(404);
    const other = await addHousehold(1);
    const notOurs = await call(`/api/family/available-slots?contactId=${other.contactIds[0]}`, family());
    expect(notOurs.status).toBe(404);
    const anonymous = await call('/api/bookings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', {});
    expect(anonymous.status).toBe(401);
    const familyOnStaff = await call(
      `/api/bookings/available-slots?householdId=${world.a.household.id}&contactId=${world.a.contact.id}`,
      family(),
    );
    expect(familyOnStaff.status).toBe(403);
  });

  it('books siblings together on a free kiosk, shows and lists the booking, and audits ids only', async () => {
    const siblings = await addHousehold(2);
    const res = await book(siblings, at('12:00'));
    expect(res.status).toBe(201);
    const booking = (await res.json()) as BookingBody;
    expect(booking).toMatchObject({
      householdId: siblings.id,
      contactId: siblings.contactIds[0],
      secondContactId: null,
      status: 'confirmed',
      source: 'teacher',
      version: 1,
      start: at('12:00').toISOString(),
      end: at('12:15').toISOString(),
      inHomeZone: { timeZone: 'Asia/Shanghai', startTime: '12:00', endTime: '12:15' },
    });
    expect(booking.id).toMatch(/^bkg_[0-9a-z]{16}$/);
    expect(booking.childIds.sort()).toEqual([...siblings.childIds].sort());
    expect([world.a.kiosk.id, secondKioskId]).toContain(booking.kioskId);

    expect((await call(`/api/bookings/${booking.id}`, teacher)).status).toBe(200);
    expect((await call(`/api/bookings/${booking.id}`, teacherB)).status).toBe(404);
    const list = (await (
      await call(
        `/api/bookings?from=${monday.toISOString()}&to=${at('23:00').toISOString()}&householdId=${siblings.id}`,
        teacher,
      )
    ).json()) as { items: BookingBody[] };
    expect(list.items.map((b) => b.id)).toEqual([booking.id]);

    const [event] = await listAuditForSubject(world.database.db, 'booking', booking.id);
    expect(event).toMatchObject({ action: 'booking.create', actorId: world.a.teacher.id });
    expect(event?.details).toEqual({
      kioskId: booking.kioskId,
      householdId: siblings.id,
      contactIds: siblings.contactIds,
      childIds: booking.childIds,
      seriesId: null,
      version: 1,
    });
  });

  it('answers each refusal with 409 or 422 and the reason', async () => {
    const first = await addHousehold(2, [{ approved: true }, { approved: false }]);
    const [childOne, childTwo] = first.childIds as [string, string];
    expect((await book(first, at('12:20', 1), { childIds: [childOne] })).status).toBe(201);
    await expectRefusal(await book(first, at('12:20', 1), { childIds: [childOne] }), 409, 'child-busy');
    await expectRefusal(await book(first, at('12:20', 1), { childIds: [childTwo] }), 409, 'contact-busy');
    await expectRefusal(await book(first, at('12:40', 1), { childIds: [childOne] }), 409, 'quota-reached');
    await expectRefusal(
      await book(first, at('12:40', 1), { childIds: [childTwo], contactId: first.contactIds[1] }),
      422,
      'contact-not-approved',
    );
    const second = await addHousehold(1);
    expect((await book(second, at('12:20', 1))).status).toBe(201);
    const third = await addHousehold(1);
    await expectRefusal(await book(third, at('12:20', 1)), 409, 'slot-taken');
    await expectRefusal(await book(third, new Date(monday.getTime() + 30 * 60_000)), 422, 'too-soon');
    await expectRefusal(await book(third, at('12:00', 21)), 422, 'beyond-horizon');
    await expectRefusal(await book(third, at('12:05', 1)), 422, 'outside-hours');
    await expectRefusal(await book(third, at('12:00', 5)), 422, 'outside-hours');
    const empty = await addHousehold(0);
    await expectRefusal(await book(empty, at('12:40', 1)), 422, 'no-children');
  });

  it('answers 404 for children, contacts, kiosks and households not of the household or Home', async () => {
    const household = await addHousehold(1);
    const other = await addHousehold(1);
    expect((await book(household, at('13:00', 1), { childIds: [other.childIds[0]] })).status).toBe(404);
    expect((await book(household, at('13:00', 1), { contactId: other.contactIds[0] })).status).toBe(404);
    expect((await book(household, at('13:00', 1), { kioskId: world.b.kiosk.id })).status).toBe(404);
    expect(
      (
        await call('/api/bookings', teacherB, {
          householdId: household.id,
          contactId: household.contactIds[0],
          start: at('13:00', 1).toISOString(),
        })
      ).status,
    ).toBe(404);
    expect((await book(household, at('13:00', 1), { secondContactId: household.contactIds[0] })).status).toBe(400);
  });

  it('books a three-way call with a second approved contact of the household', async () => {
    const household = await addHousehold(2, [{ approved: true }, { approved: true, timeZone: 'Europe/Madrid' }]);
    const [childOne, childTwo] = household.childIds as [string, string];
    const res = await book(household, at('16:30', 1), {
      secondContactId: household.contactIds[1],
      childIds: [childOne],
    });
    expect(res.status).toBe(201);
    const booking = (await res.json()) as BookingBody;
    expect(booking.secondContactId).toBe(household.contactIds[1]);
    // The second contact is held too: the other child cannot call them at the same time.
    await expectRefusal(
      await book(household, at('16:30', 1), { contactId: household.contactIds[1], childIds: [childTwo] }),
      409,
      'contact-busy',
    );
  });

  it('books a proposal for the weekly scheduler with source auto', async () => {
    const household = await addHousehold(1);
    const res = await book(household, at('16:50', 1), { source: 'auto' });
    expect(await res.json()).toMatchObject({ status: 'proposed', source: 'auto' });
  });

  it('reschedules, refuses a stale version, cancels with a reason and frees the slot', async () => {
    const household = await addHousehold(1);
    const created = (await (await book(household, at('17:10', 1))).json()) as BookingBody;
    const moved = await call(`/api/bookings/${created.id}/reschedule`, teacher, {
      start: at('17:30', 1).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      version: 2,
      kioskId: created.kioskId,
      inHomeZone: { startTime: '17:30' },
    });
    await expectRefusal(
      await call(`/api/bookings/${created.id}/reschedule`, teacher, {
        start: at('17:10', 1).toISOString(),
        version: 1,
      }),
      409,
      'not-active',
    );
    await expectRefusal(
      await call(`/api/bookings/${created.id}/reschedule`, teacher, { start: at('17:15', 1).toISOString() }),
      422,
      'outside-hours',
    );
    // Fill both kiosks at 13:00 on Tuesday, then try to move there.
    expect((await book(await addHousehold(1), at('13:00', 1))).status).toBe(201);
    expect((await book(await addHousehold(1), at('13:00', 1))).status).toBe(201);
    await expectRefusal(
      await call(`/api/bookings/${created.id}/reschedule`, teacher, { start: at('13:00', 1).toISOString() }),
      409,
      'slot-taken',
    );
    const cancelled = await call(`/api/bookings/${created.id}/cancel`, teacher, { reason: '家长临时加班' });
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', version: 3, cancelReason: '家长临时加班' });
    await expectRefusal(
      await call(`/api/bookings/${created.id}/cancel`, teacher, { reason: '再次取消' }),
      409,
      'not-active',
    );
    expect((await call(`/api/bookings/${created.id}/cancel`, teacherB, { reason: 'x' })).status).toBe(404);
    const trail = await listAuditForSubject(world.database.db, 'booking', created.id);
    expect(trail.map((e) => e.action).sort()).toEqual(['booking.cancel', 'booking.create', 'booking.reschedule']);
    expect(JSON.stringify(trail)).not.toContain('家长临时加班');
    const slots = (await (
      await call(
        `/api/bookings/available-slots?householdId=${household.id}&contactId=${household.contactIds[0]}&anyTime=true&from=${at('17:00', 1).toISOString()}&to=${at('18:00', 1).toISOString()}`,
        teacher,
      )
    ).json()) as SlotsBody;
    expect(slots.slots.map((s) => s.inHomeZone.startTime)).toContain('17:30');
  });

  it('lets a family book, list and cancel its own calls only', async () => {
    const res = await call('/api/family/bookings', family(), { start: at('12:40').toISOString() });
    expect(res.status).toBe(201);
    const booking = (await res.json()) as BookingBody;
    expect(booking).toMatchObject({
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      source: 'parent',
      status: 'confirmed',
      inContactZone: { timeZone: 'Asia/Shanghai', startTime: '12:40' },
    });
    const list = (await (await call('/api/family/bookings', family())).json()) as { items: BookingBody[] };
    expect(list.items.map((b) => b.id)).toContain(booking.id);

    const other = await addHousehold(1);
    const theirs = (await (await book(other, at('12:00', 2))).json()) as BookingBody;
    expect((await call(`/api/family/bookings/${theirs.id}/cancel`, family(), { reason: '不是我的' })).status).toBe(404);
    const cancelled = await call(`/api/family/bookings/${booking.id}/cancel`, family(), { reason: '要上班' });
    expect(await cancelled.json()).toMatchObject({ status: 'cancelled', version: 2 });
    const trail = await listAuditForSubject(world.database.db, 'booking', booking.id);
    expect(trail.map((e) => [e.action, e.actorKind, e.actorId]).sort()).toEqual([
      ['booking.cancel', 'family', world.a.contact.id],
      ['booking.create', 'family', world.a.contact.id],
    ]);
    expect((await call(`/api/family/bookings/${booking.id}/cancel`, teacher, { reason: 'x' })).status).toBe(403);
  });

  it('books a standing weekly series past the horizon, skipping a holiday, and edits it as a whole or one occurrence', async () => {
    const household = await addHousehold(1);
    const holiday = at('12:00', 17).toISOString().slice(0, 10);
    await world.database.db
      .insert(schema.openingExceptions)
      .values({ id: createId('openingException'), homeId: world.a.home.id, date: holiday, closed: true });
    const res = await call('/api/bookings/series', teacher, {
      householdId: household.id,
      contactId: household.contactIds[0],
      start: at('13:00', 3).toISOString(),
      weeks: 4,
    });
    expect(res.status).toBe(201);
    const series = (await res.json()) as SeriesBody;
    expect(series.seriesId).toMatch(/^ser_[0-9a-z]{16}$/);
    expect(series.bookings.map((b) => b.start)).toEqual([
      at('13:00', 3).toISOString(),
      at('13:00', 10).toISOString(),
      at('13:00', 24).toISOString(),
    ]);
    expect(series.skipped).toEqual([
      { start: at('13:00', 17).toISOString(), bookingId: null, reason: 'outside-hours' },
    ]);
    expect(new Set(series.bookings.map((b) => b.kioskId)).size).toBe(1);

    const [firstId, secondId] = series.bookings.map((b) => b.id) as [string, string];
    const one = await call(`/api/bookings/${firstId}/reschedule`, teacher, { start: at('12:40', 3).toISOString() });
    expect(one.status).toBe(200);
    const moved = await call(`/api/bookings/series/${series.seriesId}/reschedule`, teacher, {
      startTime: '16:50',
      weekday: 2,
      from: at('00:00', 7).toISOString(),
    });
    expect(moved.status).toBe(200);
    const movedBody = (await moved.json()) as SeriesBody;
    expect(movedBody.bookings.map((b) => b.start)).toEqual([
      at('16:50', 8).toISOString(),
      at('16:50', 22).toISOString(),
    ]);
    expect(movedBody.skipped).toEqual([]);

    const cancelled = await call(`/api/bookings/series/${series.seriesId}/cancel`, teacher, {
      reason: '学期结束',
      from: at('00:00', 14).toISOString(),
    });
    expect(((await cancelled.json()) as SeriesBody).bookings.map((b) => b.status)).toEqual(['cancelled']);
    const left = (await (
      await call(
        `/api/bookings?from=${monday.toISOString()}&to=${at('23:00', 30).toISOString()}&householdId=${household.id}&status=confirmed`,
        teacher,
      )
    ).json()) as { items: BookingBody[] };
    expect(left.items.map((b) => b.id)).toEqual([firstId, secondId]);
    await expectRefusal(
      await call(`/api/bookings/series/${series.seriesId}/cancel`, teacher, {
        reason: '再次',
        from: at('00:00', 14).toISOString(),
      }),
      409,
      'not-active',
    );
    expect((await call(`/api/bookings/series/${series.seriesId}/cancel`, teacherB, { reason: 'x' })).status).toBe(404);
    expect(
      (await call('/api/bookings/series/ser_0000000000000000/reschedule', teacher, { startTime: '12:00' })).status,
    ).toBe(404);
  });

  it('refuses a series none of whose weeks can be booked', async () => {
    const household = await addHousehold(1);
    await expectRefusal(
      await call('/api/bookings/series', teacher, {
        householdId: household.id,
        contactId: household.contactIds[0],
        start: at('12:10', 3).toISOString(),
        weeks: 2,
      }),
      422,
      'outside-hours',
    );
  });

  it('starts a call now for the duty teacher or the admin when the Home is open and a kiosk free', async () => {
    await setNow(at('12:05', 4));
    // Both kiosks are on and reached the server a minute ago ("call now" takes only a kiosk seen recently; an earlier
    // test's kiosk request left the first one's last contact days before this clock).
    for (const kioskId of [world.a.kiosk.id, secondKioskId]) {
      await recordKioskContact(world.database.db, kioskId, { at: at('12:04', 4), appVersion: null, everyMs: 0 });
    }
    const household = await addHousehold(2);
    const body = { householdId: household.id, contactId: household.contactIds[0] };
    await expectRefusal(await call('/api/bookings/adhoc', teacher, body), 403, 'not-on-duty');
    const res = await call('/api/bookings/adhoc', admin, body);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      source: 'adhoc',
      status: 'confirmed',
      start: at('12:05', 4).toISOString(),
      end: at('12:20', 4).toISOString(),
    });
    await expectRefusal(await call('/api/bookings/adhoc', admin, body), 409, 'child-busy');

    await world.database.db
      .insert(schema.dutyPatterns)
      .values({ id: createId('dutyPattern'), homeId: world.a.home.id, weekday: 5, staffId: world.a.teacher.id });
    expect(
      (await call('/api/bookings/adhoc', teacher, { householdId: (await addHousehold(1)).id, contactId: undefined }))
        .status,
    ).toBe(400);
    const second = await addHousehold(1);
    expect(
      (await call('/api/bookings/adhoc', teacher, { householdId: second.id, contactId: second.contactIds[0] })).status,
    ).toBe(201);
    const third = await addHousehold(1);
    await expectRefusal(
      await call('/api/bookings/adhoc', teacher, { householdId: third.id, contactId: third.contactIds[0] }),
      409,
      'slot-taken',
    );
    const unapproved = await addHousehold(1, [{ approved: false }]);
    await expectRefusal(
      await call('/api/bookings/adhoc', teacher, { householdId: unapproved.id, contactId: unapproved.contactIds[0] }),
      422,
      'contact-not-approved',
    );
    await setNow(at('14:00', 4));
    await expectRefusal(
      await call('/api/bookings/adhoc', admin, { householdId: third.id, contactId: third.contactIds[0] }),
      422,
      'outside-hours',
    );
    await setNow(monday);
  });
});

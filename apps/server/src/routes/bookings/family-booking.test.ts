import {
  createChild,
  createContact,
  createHousehold,
  createId,
  createStaffSession,
  listAuditForSubject,
  schema,
  updateContact,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { CATALOGS } from '@affection/ui';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface BookingBody {
  id: string;
  householdId: string;
  contactId: string;
  secondContactId: string | null;
  kioskId: string;
  start: string;
  status: string;
  version: number;
  inContactZone: { timeZone: string; startTime: string };
}

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string; fields?: { path: string; key: string }[] } };
}

interface AvailabilityBody {
  contactId: string;
  timeZone: string;
  windows: { weekday: number; startTime: string; endTime: string }[];
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Monday 00:00 UTC (08:00 in Shanghai) of the first week after the real now. */
function comingMonday(): Date {
  const today = new Date();
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const daysToMonday = ((8 - new Date(midnight).getUTCDay()) % 7) + 7;
  return new Date(midnight + daysToMonday * DAY);
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('family booking routes (%s)', (kind) => {
  let world: ApiWorld;
  let monday: Date;
  let teacher: Record<string, string>;
  let serial = 0;

  /** Monday of the test week + `days`, at `time` in Shanghai, as UTC. */
  const at = (time: string, days = 0) => {
    const [h, m] = time.split(':').map(Number) as [number, number];
    return new Date(monday.getTime() + days * DAY + (h - 8) * HOUR + m * 60_000);
  };

  function call(
    path: string,
    as: 'familyA' | 'familyB' | 'teacherA' | 'anonymous',
    json?: unknown,
    method?: string,
  ): Promise<Response> {
    const headers = as === 'teacherA' ? teacher : world.headersFor(as);
    return Promise.resolve(
      world.app.request(path, {
        method: method ?? (json === undefined ? 'GET' : 'POST'),
        headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
  }

  async function expectRefusal(res: Response, status: number, reason: string): Promise<void> {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, reason: body.error.details?.reason }).toEqual({ status, reason });
    expect(CATALOGS['zh-CN']).toHaveProperty([`error.booking.${reason}`]);
    expect(CATALOGS.en).toHaveProperty([`error.booking.${reason}`]);
  }

  /** Another household of Home A, with one child and one approved mother. */
  async function addHousehold(): Promise<{ id: string; contactId: string }> {
    const db = world.database.db;
    const homeId = world.a.home.id;
    serial += 1;
    const household = await createHousehold(db, homeId, { name: `邻居${serial}家` });
    await createChild(db, homeId, { householdId: household.id, familyName: '赵', givenName: `小${serial}` });
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: '赵家长',
      relation: 'mother',
      phone: `+8613${String(600_000_000 + serial)}`,
    });
    await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: monday }, monday);
    return { id: household.id, contactId: contact.id };
  }

  /** A booking made by the teacher (`auto`: a proposal, as the weekly scheduler makes). */
  async function teacherBooks(householdId: string, contactId: string, start: Date, source = 'teacher') {
    const res = await call('/api/bookings', 'teacherA', {
      householdId,
      contactId,
      start: start.toISOString(),
      source,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as BookingBody;
  }

  beforeAll(async () => {
    world = await createApiWorld(kind);
    monday = comingMonday();
    world.setNow(monday);
    const token = newToken();
    const csrf = newToken();
    await createStaffSession(world.database.db, {
      staffId: world.a.teacher.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now: monday,
      expiresAt: new Date(monday.getTime() + HOUR),
    });
    teacher = { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
    const db = world.database.db;
    const homeId = world.a.home.id;
    // Several calls a week per child, so the cases below do not run into the weekly quota.
    await db.update(schema.homes).set({ weeklyQuotaPerChild: 10 }).where(eq(schema.homes.id, homeId));
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5].map((weekday) => ({
        id: createId('openingRule'),
        homeId,
        weekday,
        startTime: '12:00',
        endTime: '13:30',
      })),
    );
  });
  afterAll(async () => {
    await world?.close();
  });

  it('moves its own call to another slot, keeps a version check, and says when the slot was just taken', async () => {
    const booked = await call('/api/family/bookings', 'familyA', { start: at('12:00', 1).toISOString() });
    expect(booked.status).toBe(201);
    const booking = (await booked.json()) as BookingBody;

    const moved = await call(`/api/family/bookings/${booking.id}/move`, 'familyA', {
      start: at('12:40', 1).toISOString(),
      version: booking.version,
    });
    expect(moved.status).toBe(200);
    const after = (await moved.json()) as BookingBody;
    expect(after).toMatchObject({ id: booking.id, status: 'confirmed', version: booking.version + 1 });
    expect(after.start).toBe(at('12:40', 1).toISOString());
    expect(after.inContactZone).toMatchObject({ timeZone: 'Asia/Shanghai', startTime: '12:40' });
    const trail = await listAuditForSubject(world.database.db, 'booking', booking.id);
    expect(trail.map((e) => [e.action, e.actorKind, e.actorId])).toContainEqual([
      'booking.reschedule',
      'family',
      world.a.contact.id,
    ]);

    // The old version is refused: the booking changed meanwhile.
    await expectRefusal(
      await call(`/api/family/bookings/${booking.id}/move`, 'familyA', {
        start: at('13:00', 1).toISOString(),
        version: booking.version,
      }),
      409,
      'not-active',
    );

    // Another household takes the only kiosk at 13:00 on Wednesday: moving there is slot-taken, nothing changes.
    const neighbour = await addHousehold();
    await teacherBooks(neighbour.id, neighbour.contactId, at('13:00', 2));
    await expectRefusal(
      await call(`/api/family/bookings/${booking.id}/move`, 'familyA', { start: at('13:00', 2).toISOString() }),
      409,
      'slot-taken',
    );
    await expectRefusal(
      await call(`/api/family/bookings/${booking.id}/move`, 'familyA', { start: at('12:07', 2).toISOString() }),
      422,
      'outside-hours',
    );
    const list = (await (await call('/api/family/bookings', 'familyA')).json()) as { items: BookingBody[] };
    expect(list.items.find((b) => b.id === booking.id)?.start).toBe(at('12:40', 1).toISOString());

    // The slots to move it to (in the parent's windows) leave its own slot out of the way: its slot is offered.
    const tuesday = [{ weekday: 2, startTime: '12:00', endTime: '13:30' }];
    expect((await call('/api/family/availability', 'familyA', { windows: tuesday }, 'PUT')).status).toBe(200);
    const forMove = (await (
      await call(
        `/api/family/available-slots?exceptBookingId=${booking.id}&from=${at('12:00', 1).toISOString()}&to=${at('13:30', 1).toISOString()}`,
        'familyA',
      )
    ).json()) as { slots: { start: string }[] };
    expect(forMove.slots.map((s) => s.start)).toContain(at('12:40', 1).toISOString());
    await call('/api/family/availability', 'familyA', { windows: [] }, 'PUT');
    const bad = await call(`/api/family/bookings/${booking.id}/move`, 'familyA', { start: 'next tuesday' });
    expect(bad.status).toBe(400);
  });

  it('never lets a family move or answer the calls of another household of its Home, or of another Home', async () => {
    const neighbour = await addHousehold();
    const theirs = await teacherBooks(neighbour.id, neighbour.contactId, at('12:20', 3));
    const theirProposal = await teacherBooks(neighbour.id, neighbour.contactId, at('12:20', 4), 'auto');
    expect(theirProposal.status).toBe('proposed');

    expect((await call(`/api/family/available-slots?exceptBookingId=${theirs.id}`, 'familyA')).status).toBe(404);
    const move = await call(`/api/family/bookings/${theirs.id}/move`, 'familyA', {
      start: at('12:40', 3).toISOString(),
    });
    expect(move.status).toBe(404);
    const answer = await call(`/api/family/bookings/${theirProposal.id}/answer`, 'familyA', { answer: 'confirm' });
    expect(answer.status).toBe(404);
    // Home B's parent: the same 404s.
    expect(
      (await call(`/api/family/bookings/${theirs.id}/move`, 'familyB', { start: at('12:40', 3).toISOString() })).status,
    ).toBe(404);
    expect(
      (await call(`/api/family/bookings/${theirProposal.id}/answer`, 'familyB', { answer: 'decline' })).status,
    ).toBe(404);
    expect(
      ((await (await call('/api/family/bookings', 'familyB')).json()) as { items: BookingBody[] }).items.map(
        (b) => b.id,
      ),
    ).not.toContain(theirs.id);

    const still = (await (await call(`/api/bookings/${theirProposal.id}`, 'teacherA')).json()) as BookingBody;
    expect(still).toMatchObject({ status: 'proposed', version: 1 });
    const kept = (await (await call(`/api/bookings/${theirs.id}`, 'teacherA')).json()) as BookingBody;
    expect(kept.start).toBe(at('12:20', 3).toISOString());

    // Only families: a teacher's cookie gets 403, nobody 401.
    expect((await call(`/api/family/bookings/${theirs.id}/move`, 'teacherA', { start: theirs.start })).status).toBe(
      403,
    );
    expect((await call(`/api/family/bookings/${theirs.id}/move`, 'anonymous', { start: theirs.start })).status).toBe(
      401,
    );
  });

  it('confirms its own proposal once and declines another; an answered proposal is 409 not-active', async () => {
    const proposal = await teacherBooks(world.a.household.id, world.a.contact.id, at('13:00', 3), 'auto');
    const awaiting = async () =>
      ((await (await call('/api/family/me', 'familyA')).json()) as { proposalsAwaiting: number }).proposalsAwaiting;
    expect(await awaiting()).toBe(1);
    const confirmed = await call(`/api/family/bookings/${proposal.id}/answer`, 'familyA', {
      answer: 'confirm',
      version: proposal.version,
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ id: proposal.id, status: 'confirmed' });
    await expectRefusal(
      await call(`/api/family/bookings/${proposal.id}/answer`, 'familyA', { answer: 'decline' }),
      409,
      'not-active',
    );
    expect(await awaiting()).toBe(0);
    const trail = await listAuditForSubject(world.database.db, 'booking', proposal.id);
    expect(trail.map((e) => [e.action, e.actorKind, e.actorId])).toContainEqual([
      'booking.confirm',
      'family',
      world.a.contact.id,
    ]);

    const second = await teacherBooks(world.a.household.id, world.a.contact.id, at('13:00', 4), 'auto');
    const declined = await call(`/api/family/bookings/${second.id}/answer`, 'familyA', { answer: 'decline' });
    expect(await declined.json()).toMatchObject({ status: 'declined' });
    expect((await call(`/api/family/bookings/${second.id}/answer`, 'familyA', { answer: 'maybe' })).status).toBe(400);
  });

  it("reads and replaces the parent's own windows, several a day, and refuses a window that ends before it starts", async () => {
    const empty = (await (await call('/api/family/availability', 'familyA')).json()) as AvailabilityBody;
    expect(empty).toEqual({ contactId: world.a.contact.id, timeZone: 'Asia/Shanghai', windows: [] });
    const windows = [
      { weekday: 1, startTime: '06:00', endTime: '07:00' },
      { weekday: 1, startTime: '12:00', endTime: '13:00' },
      { weekday: 1, startTime: '21:00', endTime: '23:30' },
      { weekday: 1, startTime: '00:00', endTime: '02:00' },
      { weekday: 3, startTime: '12:00', endTime: '13:30' },
    ];
    const saved = await call('/api/family/availability', 'familyA', { windows }, 'PUT');
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as AvailabilityBody).windows).toEqual([
      { weekday: 1, startTime: '00:00', endTime: '02:00' },
      { weekday: 1, startTime: '06:00', endTime: '07:00' },
      { weekday: 1, startTime: '12:00', endTime: '13:00' },
      { weekday: 1, startTime: '21:00', endTime: '23:30' },
      { weekday: 3, startTime: '12:00', endTime: '13:30' },
    ]);
    // The teachers see the same windows on the contact card (one set of data feeds the scheduler).
    const staffView = (await (
      await call(`/api/contacts/${world.a.contact.id}/availability`, 'teacherA')
    ).json()) as AvailabilityBody;
    expect(staffView.windows).toHaveLength(5);
    const trail = await listAuditForSubject(world.database.db, 'contact', world.a.contact.id);
    expect(trail.find((e) => e.action === 'contact.availability.update')).toMatchObject({
      actorKind: 'family',
      details: { fields: ['windows'] },
    });

    const backwards = await call(
      '/api/family/availability',
      'familyA',
      { windows: [{ weekday: 2, startTime: '20:00', endTime: '19:00' }] },
      'PUT',
    );
    expect(backwards.status).toBe(400);
    const body = (await backwards.json()) as ErrorBody;
    expect(body.error.details?.fields).toEqual([
      expect.objectContaining({ path: 'windows.0.endTime', key: 'validation.time_order' }),
    ]);
    expect(CATALOGS['zh-CN']).toHaveProperty(['validation.time_order']);
    expect(CATALOGS.en).toHaveProperty(['validation.time_order']);
    const overlap = await call(
      '/api/family/availability',
      'familyA',
      {
        windows: [
          { weekday: 2, startTime: '19:00', endTime: '21:00' },
          { weekday: 2, startTime: '20:00', endTime: '22:00' },
        ],
      },
      'PUT',
    );
    expect(overlap.status).toBe(400);
    const kept = (await (await call('/api/family/availability', 'familyA')).json()) as AvailabilityBody;
    expect(kept.windows).toHaveLength(5);

    // Home B's parent reads and writes only their own contact's windows.
    const bView = (await (await call('/api/family/availability', 'familyB')).json()) as AvailabilityBody;
    expect(bView.contactId).toBe(world.b.contact.id);
    await call('/api/family/availability', 'familyB', { windows: [] }, 'PUT');
    expect(
      ((await (await call('/api/family/availability', 'familyA')).json()) as AvailabilityBody).windows,
    ).toHaveLength(5);
    await call('/api/family/availability', 'familyA', { windows: [] }, 'PUT');
  });

  it('lists the other approved contacts of its own household only, and books a three-way call with one', async () => {
    const db = world.database.db;
    const homeId = world.a.home.id;
    const father = await createContact(db, homeId, {
      householdId: world.a.household.id,
      name: '王建军',
      relation: 'father',
      phone: '+8613812340001',
    });
    const uncle = await createContact(db, homeId, {
      householdId: world.a.household.id,
      name: '王叔叔',
      relation: 'other',
      phone: '+8613812340002',
    });
    const before = (await (await call('/api/family/contacts', 'familyA')).json()) as { items: { id: string }[] };
    expect(before.items).toEqual([]);
    await updateContact(db, homeId, father.id, { approvedBy: world.a.admin.id, approvedAt: monday }, monday);
    const list = (await (await call('/api/family/contacts', 'familyA')).json()) as {
      items: Record<string, unknown>[];
    };
    expect(list.items).toEqual([{ id: father.id, name: '王建军', relation: 'father' }]);
    expect(JSON.stringify(list)).not.toContain('+86');
    const bList = (await (await call('/api/family/contacts', 'familyB')).json()) as { items: { id: string }[] };
    expect(bList.items.map((c) => c.id)).not.toContain(father.id);

    const threeWay = await call('/api/family/bookings', 'familyA', {
      start: at('12:00', 4).toISOString(),
      secondContactId: father.id,
    });
    expect(threeWay.status).toBe(201);
    expect(await threeWay.json()).toMatchObject({ secondContactId: father.id });
    await expectRefusal(
      await call('/api/family/bookings', 'familyA', { start: at('12:40', 4).toISOString(), secondContactId: uncle.id }),
      422,
      'contact-not-approved',
    );
  });
});

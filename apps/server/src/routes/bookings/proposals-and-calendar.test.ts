import { createBookingEvents, endCall } from '@affection/bookings';
import {
  createChild,
  createContact,
  createHousehold,
  createId,
  createStaffSession,
  getBooking,
  listAuditForSubject,
  schema,
  updateContact,
  updateHousehold,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface BookingBody {
  id: string;
  kioskId: string;
  householdId: string;
  status: string;
  source: string;
  version: number;
  cancelReason: string | null;
  start: string;
  inHomeZone: { date: string; startTime: string };
}

interface PartyBody {
  householdName: string;
  children: { id: string; familyName: string; givenName: string }[];
  contacts: { id: string; name: string; relation: string; channel: string }[];
}

interface ProposalBody extends BookingBody {
  party: PartyBody;
  lastCallAt: string | null;
  weeksSinceLastCall: number | null;
}

interface ProposalWeekBody {
  week: string;
  timeZone: string;
  kiosks: { id: string; name: string }[];
  awaiting: number;
  days: { date: string; kiosks: { kioskId: string; proposals: ProposalBody[] }[] }[];
}

interface ConfirmationsBody {
  confirmed: number;
  refused: number;
  results: { bookingId: string; ok: boolean; reason: string | null; booking: BookingBody | null }[];
}

interface CalendarBody {
  timeZone: string;
  slotMinutes: number;
  kiosks: { id: string; name: string; takesCalls: boolean }[];
  open: { start: string; end: string; inHomeZone: { date: string; startTime: string; endTime: string } }[];
  bookings: (BookingBody & { party: PartyBody })[];
}

interface SearchBody {
  items: {
    id: string;
    name: string;
    children: { id: string; givenName: string }[];
    contacts: { id: string; name: string; phoneMasked: string; approved: boolean }[];
  }[];
}

interface ErrorBody {
  error: { code: string; message: string; userMessageKey: string; details?: { reason?: string } };
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

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('proposals, calendar and household search (%s)', (kind) => {
  let world: ApiWorld;
  let monday: Date;
  let serial = 0;
  /** Booking ids whose lifecycle the server was asked to plan, in order. */
  const planned: string[] = [];
  let teacher: Record<string, string>;
  let teacherB: Record<string, string>;

  /** Monday of the test week + `days`, at `time` in Shanghai, as UTC. */
  const at = (time: string, days = 0) => {
    const [h, m] = time.split(':').map(Number) as [number, number];
    return new Date(monday.getTime() + days * DAY + (h - 8) * HOUR + m * 60_000);
  };
  const isoDate = (days: number) => new Date(monday.getTime() + days * DAY).toISOString().slice(0, 10);

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

  async function setNow(date: Date): Promise<void> {
    world.setNow(date);
    [teacher, teacherB] = await Promise.all([sessionOf(world.a.teacher.id), sessionOf(world.b.teacher.id)]);
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

  async function addHousehold(name: string, childNames: string[], contactName = '王家长'): Promise<Household> {
    const db = world.database.db;
    const homeId = world.a.home.id;
    serial += 1;
    const household = await createHousehold(db, homeId, { name });
    const childIds: string[] = [];
    for (const given of childNames) {
      childIds.push(
        (await createChild(db, homeId, { householdId: household.id, familyName: '王', givenName: given })).id,
      );
    }
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: contactName,
      relation: 'mother',
      phone: `+8613${String(600_000_000 + serial)}`,
    });
    await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: monday }, monday);
    return { id: household.id, childIds, contactIds: [contact.id] };
  }

  async function propose(household: Household, start: Date): Promise<BookingBody> {
    const res = await call('/api/bookings', teacher, {
      householdId: household.id,
      contactId: household.contactIds[0],
      start: start.toISOString(),
      source: 'auto',
    });
    const body = await res.json();
    expect([res.status, (body as ErrorBody).error?.details?.reason]).toEqual([201, undefined]);
    return body as BookingBody;
  }

  async function expectRefusal(res: Response, status: number, reason: string): Promise<void> {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, reason: body.error.details?.reason }).toEqual({ status, reason });
    expect(body.error.userMessageKey).toBe(`error.booking.${reason}`);
  }

  let early: Household;
  let never: Household;

  beforeAll(async () => {
    world = await createApiWorld(kind, {
      onBookingChanged: async (bookingId) => {
        planned.push(bookingId);
      },
    });
    monday = comingMonday();
    const db = world.database.db;
    const homeId = world.a.home.id;
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5].flatMap((weekday) => [
        { id: createId('openingRule'), homeId, weekday, startTime: '12:00', endTime: '13:30' },
        { id: createId('openingRule'), homeId, weekday, startTime: '16:30', endTime: '18:00' },
      ]),
    );
    await db.insert(schema.kiosks).values({ id: createId('kiosk'), homeId, name: '二号机', enrolledAt: new Date() });

    // A household whose last call took place three weeks before the test week.
    early = await addHousehold('李家', ['小红', '小刚'], '李秀芝');
    never = await addHousehold('赵家', ['小雨'], '赵大山');
    await setNow(at('08:00', -21));
    const res = await call('/api/bookings', teacher, {
      householdId: early.id,
      contactId: early.contactIds[0],
      start: at('12:00', -21).toISOString(),
    });
    expect(res.status).toBe(201);
    const done = (await res.json()) as BookingBody;
    const events = createBookingEvents({ db, now: world.services.now, planLifecycle: async () => {} });
    await setNow(at('12:30', -21));
    await endCall(
      { db, now: world.services.now, events },
      { kind: 'system', job: 'call-end' },
      {
        homeId,
        bookingId: done.id,
        status: 'completed',
        expectedVersion: done.version,
      },
    );
    await setNow(monday);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("lists next week's proposals per day and kiosk with names and each household's weeks since its last call", async () => {
    const first = await propose(early, at('12:00', 8));
    const second = await propose(never, at('12:00', 8));
    const third = await propose(await addHousehold('冯家', ['小山']), at('16:30', 10));
    // A teacher's own booking of next week is not a proposal.
    const own = await addHousehold('孙家', ['小星']);
    expect(
      (
        await call('/api/bookings', teacher, {
          householdId: own.id,
          contactId: own.contactIds[0],
          start: at('12:20', 8).toISOString(),
        })
      ).status,
    ).toBe(201);

    const res = await call('/api/bookings/proposals', teacher);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ProposalWeekBody;
    expect(body).toMatchObject({ week: isoDate(7), timeZone: 'Asia/Shanghai', awaiting: 3 });
    expect(body.kiosks.map((k) => k.name)).toContain('二号机');
    expect(body.days.map((d) => d.date)).toEqual([isoDate(8), isoDate(10)]);
    const tuesday = body.days[0]!;
    expect(tuesday.kiosks).toHaveLength(2);
    const tuesdayProposals = tuesday.kiosks.flatMap((k) => k.proposals);
    expect(tuesdayProposals.map((p) => p.id).sort()).toEqual([first.id, second.id].sort());
    const ofEarly = tuesdayProposals.find((p) => p.id === first.id)!;
    expect(ofEarly).toMatchObject({ status: 'proposed', source: 'auto', weeksSinceLastCall: 3 });
    expect(ofEarly.party.householdName).toBe('李家');
    expect(ofEarly.party.children.map((c) => `${c.familyName}${c.givenName}`).sort()).toEqual(['王小刚', '王小红']);
    expect(ofEarly.party.children.map((c) => c.id).sort()).toEqual([...early.childIds].sort());
    expect(ofEarly.party.contacts).toEqual([
      { id: early.contactIds[0], name: '李秀芝', relation: 'mother', channel: 'video' },
    ]);
    expect(tuesdayProposals.find((p) => p.id === second.id)).toMatchObject({
      weeksSinceLastCall: null,
      lastCallAt: null,
    });
    expect(body.days[1]?.kiosks[0]?.proposals.map((p) => p.id)).toEqual([third.id]);

    // Any date of a week names that week; this week has none.
    const same = (await (
      await call(`/api/bookings/proposals?week=${isoDate(11)}`, teacher)
    ).json()) as ProposalWeekBody;
    expect(same.week).toBe(isoDate(7));
    const thisWeek = (await (
      await call(`/api/bookings/proposals?week=${isoDate(2)}`, teacher)
    ).json()) as ProposalWeekBody;
    expect(thisWeek).toMatchObject({ week: isoDate(0), awaiting: 0, days: [] });
  });

  it('confirms one proposal for the family, plans its lifecycle, audits it and refuses a second answer', async () => {
    const household = await addHousehold('周家', ['小月']);
    const proposal = await propose(household, at('13:00', 9));
    planned.length = 0;
    const res = await call(`/api/bookings/${proposal.id}/confirm`, teacher, { version: proposal.version });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: proposal.id, status: 'confirmed', version: proposal.version + 1 });
    expect(planned).toEqual([proposal.id]);
    const trail = await listAuditForSubject(world.database.db, 'booking', proposal.id);
    expect(trail.map((e) => [e.action, e.actorKind, e.actorId])).toContainEqual([
      'booking.confirm',
      'staff',
      world.a.teacher.id,
    ]);
    await expectRefusal(await call(`/api/bookings/${proposal.id}/confirm`, teacher, {}), 409, 'not-active');
    await expectRefusal(
      await call(`/api/bookings/${proposal.id}/decline`, teacher, { reason: '太晚了' }),
      409,
      'not-active',
    );
    expect(planned).toEqual([proposal.id]);
  });

  it('refuses a stale version, bad ids and bodies, other Homes and callers who are not staff', async () => {
    const household = await addHousehold('吴家', ['小海']);
    const proposal = await propose(household, at('13:00', 10));
    await expectRefusal(
      await call(`/api/bookings/${proposal.id}/confirm`, teacher, { version: proposal.version + 1 }),
      409,
      'not-active',
    );
    expect((await call('/api/bookings/bkg_0000000000000000/confirm', teacher, {})).status).toBe(404);
    expect((await call('/api/bookings/chd_0000000000000000/confirm', teacher, {})).status).toBe(400);
    expect((await call(`/api/bookings/${proposal.id}/confirm`, teacher, { extra: 1 })).status).toBe(400);
    expect((await call(`/api/bookings/${proposal.id}/decline`, teacher, {})).status).toBe(400);
    expect((await call(`/api/bookings/${proposal.id}/decline`, teacher, { reason: '  ' })).status).toBe(400);
    // Another Home's teacher can neither see nor answer it.
    expect((await call(`/api/bookings/${proposal.id}/confirm`, teacherB, {})).status).toBe(404);
    expect((await call(`/api/bookings/${proposal.id}/decline`, teacherB, { reason: '不是我们的' })).status).toBe(404);
    const theirs = (await (await call('/api/bookings/proposals', teacherB)).json()) as ProposalWeekBody;
    expect(theirs.days).toEqual([]);
    expect(theirs.kiosks.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    // Not signed in, a family, a kiosk; and a teacher without the CSRF token.
    expect((await call(`/api/bookings/${proposal.id}/confirm`, {}, {})).status).toBe(401);
    expect((await call(`/api/bookings/${proposal.id}/confirm`, world.headersFor('familyA'), {})).status).toBe(403);
    expect((await call('/api/bookings/proposals', world.headersFor('kioskA'))).status).toBe(403);
    expect(
      (await call('/api/bookings/proposals/confirm', world.headersFor('familyA'), { week: isoDate(7) })).status,
    ).toBe(403);
    const { [CSRF_HEADER]: _csrf, ...noCsrf } = teacher;
    expect((await call(`/api/bookings/${proposal.id}/confirm`, noCsrf, {})).status).toBe(403);
    expect((await getBooking(world.database.db, world.a.home.id, proposal.id))?.status).toBe('proposed');
    expect((await call('/api/bookings/proposals?week=2026-02-30', teacher)).status).toBe(400);
  });

  it('declines a proposal with a reason kept on the booking (not in the audit trail) and frees its slot', async () => {
    const household = await addHousehold('郑家', ['小兰']);
    const proposal = await propose(household, at('17:10', 9));
    const res = await call(`/api/bookings/${proposal.id}/decline`, teacher, { reason: '这周已经用电话联系过' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'declined',
      version: proposal.version + 1,
      cancelReason: '这周已经用电话联系过',
    });
    const trail = await listAuditForSubject(world.database.db, 'booking', proposal.id);
    expect(trail.map((e) => e.action)).toContain('booking.decline');
    expect(JSON.stringify(trail)).not.toContain('这周已经用电话联系过');
    // The household can be booked at the same time again.
    expect((await propose(household, at('17:10', 9))).status).toBe('proposed');
  });

  it('confirms all of a week, or a list, answering per booking', async () => {
    const week = (await (await call('/api/bookings/proposals', teacher)).json()) as ProposalWeekBody;
    const awaiting = week.days
      .flatMap((d) => d.kiosks.flatMap((k) => k.proposals))
      .filter((p) => p.status === 'proposed');
    expect(awaiting.length).toBe(week.awaiting);
    expect(awaiting.length).toBeGreaterThanOrEqual(3);
    // Another Home's teacher confirming the week confirms nothing of Home A.
    const theirs = (await (
      await call('/api/bookings/proposals/confirm', teacherB, { week: isoDate(7) })
    ).json()) as ConfirmationsBody;
    expect(theirs).toEqual({ confirmed: 0, refused: 0, results: [] });

    const [one, ...rest] = awaiting;
    const listed = await call('/api/bookings/proposals/confirm', teacher, {
      bookingIds: [one!.id, 'bkg_0000000000000000'],
    });
    expect(listed.status).toBe(200);
    const listedBody = (await listed.json()) as ConfirmationsBody;
    expect(listedBody).toMatchObject({ confirmed: 1, refused: 1 });
    expect(listedBody.results.map((r) => [r.bookingId, r.ok, r.reason])).toEqual([
      [one!.id, true, null],
      ['bkg_0000000000000000', false, 'not-found'],
    ]);

    planned.length = 0;
    const all = (await (
      await call('/api/bookings/proposals/confirm', teacher, { week: isoDate(9) })
    ).json()) as ConfirmationsBody;
    expect(all.confirmed).toBe(rest.length);
    expect(all.results.every((r) => r.ok && r.booking?.status === 'confirmed')).toBe(true);
    expect(planned.sort()).toEqual(rest.map((p) => p.id).sort());
    const after = (await (await call('/api/bookings/proposals', teacher)).json()) as ProposalWeekBody;
    expect(after.awaiting).toBe(0);

    // Confirming them again answers each as no longer a proposal.
    const again = (await (
      await call('/api/bookings/proposals/confirm', teacher, { bookingIds: rest.map((p) => p.id) })
    ).json()) as ConfirmationsBody;
    expect(again.results.map((r) => r.reason)).toEqual(rest.map(() => 'not-active'));
    // Either a list or a week, not both nor neither; ids of bookings only.
    expect((await call('/api/bookings/proposals/confirm', teacher, {})).status).toBe(400);
    expect(
      (await call('/api/bookings/proposals/confirm', teacher, { week: isoDate(7), bookingIds: [one!.id] })).status,
    ).toBe(400);
    expect((await call('/api/bookings/proposals/confirm', teacher, { bookingIds: [] })).status).toBe(400);
    expect(
      (await call('/api/bookings/proposals/confirm', teacher, { bookingIds: ['chd_0000000000000000'] })).status,
    ).toBe(400);
  });

  it('offers the rest of its week to a booking being moved, which the quota would hide otherwise', async () => {
    const household = await addHousehold('韩家', ['小冬']);
    const res = await call('/api/bookings', teacher, {
      householdId: household.id,
      contactId: household.contactIds[0],
      start: at('12:00', 1).toISOString(),
    });
    const booking = (await res.json()) as BookingBody;
    const query = `householdId=${household.id}&contactId=${household.contactIds[0]}&anyTime=true&from=${at('00:00', 1).toISOString()}&to=${at('00:00', 6).toISOString()}`;
    const slotsOf = async (extra: string, headers = teacher) => {
      const answer = await call(`/api/bookings/available-slots?${query}${extra}`, headers);
      return {
        status: answer.status,
        starts: ((await answer.json()) as { slots?: { start: string }[] }).slots?.map((s) => s.start),
      };
    };
    expect((await slotsOf('')).starts).toEqual([]);
    const moving = await slotsOf(`&exceptBookingId=${booking.id}`);
    expect(moving.starts).toContain(at('17:10', 3).toISOString());
    expect(moving.starts).toContain(at('12:00', 1).toISOString());
    expect((await slotsOf('&exceptBookingId=chd_0000000000000000')).status).toBe(400);
    expect((await slotsOf(`&exceptBookingId=${booking.id}`, teacherB)).status).toBe(404);
    const moved = await call(`/api/bookings/${booking.id}/reschedule`, teacher, {
      start: at('17:10', 3).toISOString(),
    });
    expect(moved.status).toBe(200);
  });

  it("draws a week: kiosks, the Home's opening hours and bookings with names, for the caller's Home only", async () => {
    const query = `from=${at('00:00', 7).toISOString()}&to=${at('00:00', 14).toISOString()}`;
    const res = await call(`/api/bookings/calendar?${query}`, teacher);
    expect(res.status).toBe(200);
    const body = (await res.json()) as CalendarBody;
    expect(body).toMatchObject({ timeZone: 'Asia/Shanghai', slotMinutes: 15 });
    expect(body.kiosks.map((k) => k.name).sort()).toEqual([world.a.kiosk.name, '二号机'].sort());
    expect(body.open).toHaveLength(10);
    expect(body.open[0]).toMatchObject({
      start: at('12:00', 7).toISOString(),
      inHomeZone: { date: isoDate(7), startTime: '12:00', endTime: '13:30' },
    });
    expect(body.bookings.length).toBeGreaterThanOrEqual(5);
    const ofEarly = body.bookings.find((b) => b.householdId === early.id)!;
    expect(ofEarly.party.householdName).toBe('李家');
    expect(ofEarly.party.children.map((c) => c.givenName).sort()).toEqual(['小刚', '小红']);

    const theirs = (await (await call(`/api/bookings/calendar?${query}`, teacherB)).json()) as CalendarBody;
    expect(theirs.bookings).toEqual([]);
    expect(theirs.kiosks.map((k) => k.id)).toEqual([world.b.kiosk.id]);
    const reversed = `from=${at('00:00', 14).toISOString()}&to=${at('00:00', 7).toISOString()}`;
    expect((await call(`/api/bookings/calendar?${reversed}`, teacher)).status).toBe(400);
    expect((await call(`/api/bookings/calendar?from=${at('00:00', 7).toISOString()}`, teacher)).status).toBe(400);
    expect((await call(`/api/bookings/calendar?${query}`, {})).status).toBe(401);
    expect((await call(`/api/bookings/calendar?${query}`, world.headersFor('familyA'))).status).toBe(403);
  });

  it("finds households by a child's or a parent's name, with masked numbers, in the caller's Home only", async () => {
    const search = async (text: string, headers = teacher) =>
      (await (
        await call(`/api/bookings/household-search?search=${encodeURIComponent(text)}`, headers)
      ).json()) as SearchBody;
    expect((await search('小刚')).items.map((h) => h.id)).toEqual([early.id]);
    expect((await search('王小刚')).items.map((h) => h.id)).toEqual([early.id]);
    expect((await search('秀芝')).items.map((h) => h.id)).toEqual([early.id]);
    expect((await search('赵家')).items.map((h) => h.id)).toEqual([never.id]);
    const [found] = (await search('李秀芝')).items;
    expect(found?.children.map((c) => c.givenName).sort()).toEqual(['小刚', '小红']);
    expect(found?.contacts).toHaveLength(1);
    expect(found?.contacts[0]).toMatchObject({ name: '李秀芝', approved: true });
    expect(found?.contacts[0]?.phoneMasked).toContain('*');
    expect(JSON.stringify(found)).not.toMatch(/\+8613\d{9}/);

    // An archived household is not offered; nor is anything of Home A to Home B.
    const gone = await addHousehold('钱家', ['小雪']);
    await updateHousehold(world.database.db, world.a.home.id, gone.id, { archivedAt: monday });
    expect((await search('钱家')).items).toEqual([]);
    expect((await search('小刚', teacherB)).items).toEqual([]);
    expect((await call('/api/bookings/household-search?search=', teacher)).status).toBe(400);
    expect((await call(`/api/bookings/household-search?search=${'长'.repeat(41)}`, teacher)).status).toBe(400);
    expect((await call('/api/bookings/household-search?search=x', world.headersFor('kioskA'))).status).toBe(403);
  });
});

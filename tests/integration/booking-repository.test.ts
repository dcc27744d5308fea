import {
  cancelBooking,
  cancelSeries,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  createSeriesId,
  getBooking,
  isStaffOnDuty,
  listBookings,
  listBookingsOfHousehold,
  listBookingsOfSeries,
  listSchedulingBookings,
  loadBookingSnapshot,
  loadHomeCalendar,
  loadSchedulingHome,
  loadSchedulingHousehold,
  type NewBooking,
  rescheduleBooking,
  schema,
  setBookingStatus,
  updateContact,
} from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NOW = new Date('2026-09-07T00:00:00Z'); // Monday 08:00 in Shanghai
const at = (iso: string) => new Date(iso);

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('booking and calendar repositories (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let kioskIds: string[];
  let household: { id: string; childIds: string[]; contactIds: string[] };
  let other: { id: string; childIds: string[]; contactIds: string[] };
  let staffId: string;

  async function seedHousehold(name: string, approved: boolean) {
    const db = database.db;
    const hh = await createHousehold(db, homeId, { name });
    const a = await createChild(db, homeId, { householdId: hh.id, familyName: '王', givenName: '小明' });
    const b = await createChild(db, homeId, { householdId: hh.id, familyName: '王', givenName: '小红' });
    const contact = await createContact(db, homeId, {
      householdId: hh.id,
      name: '李秀英',
      relation: 'mother',
      phone: `+86138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      timeZone: 'Europe/Madrid',
    });
    if (approved) await updateContact(db, homeId, contact.id, { approvedBy: staffId, approvedAt: NOW }, NOW);
    return { id: hh.id, childIds: [a.id, b.id], contactIds: [contact.id] };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    const home = await createHome(db, { name: '测试之家' });
    homeId = home.id;
    staffId = createId('staff');
    await db.insert(schema.staff).values({
      id: staffId,
      homeId,
      role: 'teacher',
      displayName: '王老师',
      username: `t-${staffId}`,
      passwordHash: 'x',
    });
    await db.insert(schema.openingRules).values([
      { id: createId('openingRule'), homeId, weekday: 1, startTime: '12:00', endTime: '13:30' },
      { id: createId('openingRule'), homeId, weekday: 3, startTime: '16:30', endTime: '18:00' },
    ]);
    await db.insert(schema.openingExceptions).values([
      { id: createId('openingException'), homeId, date: '2026-09-14', closed: true },
      { id: createId('openingException'), homeId, date: '2030-01-01', closed: true },
    ]);
    kioskIds = [createId('kiosk'), createId('kiosk'), createId('kiosk')];
    await db.insert(schema.kiosks).values([
      { id: kioskIds[0]!, homeId, name: '一号机' },
      { id: kioskIds[1]!, homeId, name: '二号机', enabled: false },
      { id: kioskIds[2]!, homeId, name: '三号机', revokedAt: NOW },
    ]);
    household = await seedHousehold('王家', true);
    other = await seedHousehold('李家', false);
    await db.insert(schema.availabilityWindows).values({
      id: createId('availabilityWindow'),
      contactId: household.contactIds[0]!,
      weekday: 1,
      startTime: '06:00',
      endTime: '07:00',
    });
    await db.insert(schema.dutyPatterns).values({ id: createId('dutyPattern'), homeId, weekday: 1, staffId });
  });
  afterAll(async () => {
    await database?.close();
  });

  function newBooking(overrides: Partial<NewBooking> = {}): NewBooking {
    return {
      homeId,
      kioskId: kioskIds[0]!,
      householdId: household.id,
      contactId: household.contactIds[0]!,
      childIds: household.childIds,
      start: at('2026-09-07T04:00:00Z'),
      end: at('2026-09-07T04:15:00Z'),
      status: 'confirmed',
      source: 'teacher',
      createdBy: staffId,
      now: NOW,
      ...overrides,
    };
  }

  it('loads the calendar, a household and the whole Home in scheduling shapes', async () => {
    const calendar = await loadHomeCalendar(database.db, homeId, { start: NOW, end: at('2026-09-30T00:00:00Z') });
    expect(calendar).toMatchObject({
      homeId,
      settings: { timeZone: 'Asia/Shanghai', slotMinutes: 15, bufferMinutes: 5, weeklyQuotaPerChild: 1 },
      openingRules: [
        { weekday: 1, startTime: '12:00', endTime: '13:30' },
        { weekday: 3, startTime: '16:30', endTime: '18:00' },
      ],
      openingExceptions: [{ date: '2026-09-14', closed: true, startTime: null, endTime: null }],
    });
    expect(Object.fromEntries(calendar?.kiosks.map((k) => [k.id, k.enabled]) ?? [])).toEqual({
      [kioskIds[0]!]: true,
      [kioskIds[1]!]: false,
      [kioskIds[2]!]: false,
    });
    expect((await loadHomeCalendar(database.db, homeId))?.openingExceptions).toHaveLength(2);
    expect(await loadHomeCalendar(database.db, 'hom_0000000000000000')).toBeNull();

    const loaded = await loadSchedulingHousehold(database.db, homeId, household.id);
    expect(loaded?.household).toEqual({
      id: household.id,
      childIds: household.childIds,
      contactIds: household.contactIds,
    });
    expect(loaded?.contacts).toEqual([{ id: household.contactIds[0], timeZone: 'Europe/Madrid', approved: true }]);
    expect(loaded?.windows).toEqual([
      { contactId: household.contactIds[0], weekday: 1, startTime: '06:00', endTime: '07:00' },
    ]);
    const unapproved = await loadSchedulingHousehold(database.db, homeId, other.id);
    expect(unapproved?.contacts[0]?.approved).toBe(false);
    expect(await loadSchedulingHousehold(database.db, 'hom_0000000000000000', household.id)).toBeNull();

    const home = await loadSchedulingHome(database.db, homeId, { start: NOW, end: at('2026-09-30T00:00:00Z') });
    expect(home?.households.map((h) => h.id).sort()).toEqual([household.id, other.id].sort());
    expect(home?.contacts).toHaveLength(2);
    expect(home?.windows).toHaveLength(1);
  });

  it('creates a booking with its link rows and reads it back for the slot engine', async () => {
    const created = await createBooking(database.db, newBooking());
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.booking).toMatchObject({
      version: 1,
      status: 'confirmed',
      childIds: [...household.childIds].sort(),
    });
    const read = await getBooking(database.db, homeId, created.booking.id);
    expect(read).toEqual(created.booking);
    expect(await getBooking(database.db, 'hom_0000000000000000', created.booking.id)).toBeNull();

    const scheduling = await listSchedulingBookings(database.db, homeId, {
      start: at('2026-09-07T00:00:00Z'),
      end: at('2026-09-08T00:00:00Z'),
    });
    expect(scheduling).toEqual([
      {
        id: created.booking.id,
        kioskId: kioskIds[0],
        start: at('2026-09-07T04:00:00Z'),
        end: at('2026-09-07T04:15:00Z'),
        status: 'confirmed',
        childIds: expect.arrayContaining(household.childIds),
        contactIds: household.contactIds,
      },
    ]);
    const day = { start: NOW, end: at('2026-09-08T00:00:00Z') };
    const ranges = { calendarRange: day, kioskRange: day, householdRange: day };
    const mine = await loadBookingSnapshot(database.db, homeId, household.id, ranges);
    expect(mine?.household?.household.id).toBe(household.id);
    expect(mine?.calendar.homeId).toBe(homeId);
    const sorted = (list: typeof scheduling = []) => list.map((b) => ({ ...b, childIds: [...b.childIds].sort() }));
    expect(sorted(mine?.bookings)).toEqual(sorted(scheduling));
    // Another household's snapshot shows the booking holding its kiosk, with none of its own people on it.
    const theirs = await loadBookingSnapshot(database.db, homeId, other.id, ranges);
    expect(theirs?.bookings).toEqual([{ ...scheduling[0], childIds: [], contactIds: [] }]);
    expect((await loadBookingSnapshot(database.db, homeId, 'hsh_0000000000000000', ranges))?.household).toBeNull();
    // Outside the kiosk range, a household still sees its own bookings of the household range (quota, busy).
    const nextDay = { start: at('2026-09-08T00:00:00Z'), end: at('2026-09-09T00:00:00Z') };
    const week = { start: NOW, end: at('2026-09-14T00:00:00Z') };
    const split = { calendarRange: week, kioskRange: nextDay, householdRange: week };
    expect(sorted((await loadBookingSnapshot(database.db, homeId, household.id, split))?.bookings)).toEqual(
      sorted(scheduling),
    );
    expect((await loadBookingSnapshot(database.db, homeId, other.id, split))?.bookings).toEqual([]);

    const listed = await listBookings(database.db, homeId, { from: NOW, to: at('2026-09-08T00:00:00Z') });
    expect(listed.map((b) => b.id)).toEqual([created.booking.id]);
    const ofHousehold = await listBookingsOfHousehold(database.db, homeId, household.id);
    expect(ofHousehold.map((b) => b.id)).toEqual([created.booking.id]);
    await setBookingStatus(database.db, homeId, created.booking.id, { status: 'cancelled', now: NOW });
  });

  it('turns each exclusion violation into its reason, never an exception', async () => {
    const first = await createBooking(
      database.db,
      newBooking({ start: at('2026-09-07T04:20:00Z'), end: at('2026-09-07T04:35:00Z') }),
    );
    expect(first.ok).toBe(true);
    const sameKiosk = await createBooking(
      database.db,
      newBooking({
        householdId: other.id,
        contactId: other.contactIds[0]!,
        childIds: other.childIds,
        start: at('2026-09-07T04:25:00Z'),
        end: at('2026-09-07T04:40:00Z'),
      }),
    );
    expect(sameKiosk).toEqual({ ok: false, reason: 'slot-taken' });
    const sameChild = await createBooking(
      database.db,
      newBooking({
        kioskId: kioskIds[1]!,
        contactId: other.contactIds[0]!,
        childIds: [household.childIds[0]!],
        start: at('2026-09-07T04:30:00Z'),
        end: at('2026-09-07T04:45:00Z'),
      }),
    );
    expect(sameChild).toEqual({ ok: false, reason: 'child-busy' });
    const sameContact = await createBooking(
      database.db,
      newBooking({
        kioskId: kioskIds[1]!,
        childIds: other.childIds,
        start: at('2026-09-07T04:30:00Z'),
        end: at('2026-09-07T04:45:00Z'),
      }),
    );
    expect(sameContact).toEqual({ ok: false, reason: 'contact-busy' });
    const rows = await database.db.select().from(schema.bookings);
    expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(1);
    if (first.ok) await cancelBooking(database.db, homeId, first.booking.id, { reason: '家长有事', now: NOW });
  });

  it('lets exactly one of 20 simultaneous writes for one kiosk and slot through, with no checker in front', async () => {
    const contenders = await Promise.all(Array.from({ length: 20 }, (_, i) => seedHousehold(`并发${i}家`, true)));
    const start = at('2026-09-28T04:00:00Z');
    const end = at('2026-09-28T04:15:00Z');
    const results = await Promise.all(
      contenders.map((h) =>
        createBooking(
          database.db,
          newBooking({ householdId: h.id, contactId: h.contactIds[0]!, childIds: h.childIds, start, end }),
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(19).fill('slot-taken'));
  });

  it('re-checks the weekly quota inside the transaction', async () => {
    const guard = { weekStart: at('2026-09-06T16:00:00Z'), weekEnd: at('2026-09-13T16:00:00Z'), limit: 1 };
    const first = await createBooking(
      database.db,
      newBooking({ start: at('2026-09-09T09:00:00Z'), end: at('2026-09-09T09:15:00Z') }),
      { quota: guard },
    );
    expect(first.ok).toBe(true);
    const second = await createBooking(
      database.db,
      newBooking({ start: at('2026-09-09T09:40:00Z'), end: at('2026-09-09T09:55:00Z') }),
      { quota: guard },
    );
    expect(second).toEqual({ ok: false, reason: 'quota-reached' });
    if (!first.ok) return;
    // Moving the booking within its own week does not count itself.
    const moved = await rescheduleBooking(
      database.db,
      homeId,
      first.booking.id,
      { kioskId: kioskIds[0]!, start: at('2026-09-09T09:20:00Z'), end: at('2026-09-09T09:35:00Z'), now: NOW },
      { quota: guard },
    );
    expect(moved.ok && moved.booking.version).toBe(2);
    const cancelled = await cancelBooking(database.db, homeId, first.booking.id, { reason: '改期', now: NOW });
    expect(cancelled.ok && cancelled.booking).toMatchObject({ status: 'cancelled', version: 3, cancelReason: '改期' });
    expect(await cancelBooking(database.db, homeId, first.booking.id, { reason: '再取消', now: NOW })).toEqual({
      ok: false,
      reason: 'not-active',
    });
    expect(
      await rescheduleBooking(database.db, homeId, first.booking.id, {
        kioskId: kioskIds[0]!,
        start: at('2026-09-09T10:00:00Z'),
        end: at('2026-09-09T10:15:00Z'),
        now: NOW,
      }),
    ).toEqual({ ok: false, reason: 'not-active' });
    expect(await cancelBooking(database.db, homeId, 'bkg_0000000000000000', { reason: 'x', now: NOW })).toEqual({
      ok: false,
      reason: 'not-found',
    });
  });

  it('follows the status lifecycle and frees the slot when a booking ends', async () => {
    const created = await createBooking(
      database.db,
      newBooking({
        status: 'proposed',
        source: 'auto',
        start: at('2026-09-21T04:00:00Z'),
        end: at('2026-09-21T04:15:00Z'),
      }),
    );
    if (!created.ok) throw new Error(created.reason);
    expect(
      (await setBookingStatus(database.db, homeId, created.booking.id, { status: 'completed', now: NOW })).ok,
    ).toBe(false);
    const confirmed = await setBookingStatus(database.db, homeId, created.booking.id, {
      status: 'confirmed',
      now: NOW,
      expectedVersion: 1,
    });
    expect(confirmed.ok && confirmed.booking.version).toBe(2);
    const stale = await setBookingStatus(database.db, homeId, created.booking.id, {
      status: 'cancelled',
      now: NOW,
      expectedVersion: 1,
    });
    expect(stale).toEqual({ ok: false, reason: 'not-active' });
    await setBookingStatus(database.db, homeId, created.booking.id, { status: 'in-progress', now: NOW });
    await setBookingStatus(database.db, homeId, created.booking.id, { status: 'missed', now: NOW });
    const again = await createBooking(
      database.db,
      newBooking({ start: at('2026-09-21T04:00:00Z'), end: at('2026-09-21T04:15:00Z') }),
    );
    expect(again.ok).toBe(true);
  });

  it('keeps a standing series together and cancels its future occurrences', async () => {
    const seriesId = createSeriesId();
    expect(seriesId).toMatch(/^ser_[0-9a-z]{16}$/);
    const starts = ['2026-10-05T04:40:00Z', '2026-10-12T04:40:00Z', '2026-10-19T04:40:00Z'];
    for (const start of starts) {
      const result = await createBooking(
        database.db,
        newBooking({ seriesId, start: at(start), end: new Date(at(start).getTime() + 15 * 60_000) }),
      );
      expect(result.ok).toBe(true);
    }
    expect((await listBookingsOfSeries(database.db, homeId, seriesId)).map((b) => b.start.toISOString())).toEqual(
      starts.map((s) => at(s).toISOString()),
    );
    const cancelled = await cancelSeries(database.db, homeId, seriesId, {
      reason: '学期结束',
      from: at('2026-10-10T00:00:00Z'),
      now: NOW,
    });
    expect(cancelled.map((b) => b.status)).toEqual(['cancelled', 'cancelled']);
    const left = await listBookingsOfSeries(database.db, homeId, seriesId, { statuses: ['confirmed'] });
    expect(left.map((b) => b.start.toISOString())).toEqual([at(starts[0]!).toISOString()]);
  });

  it('tells who is on duty from the rota and the overrides', async () => {
    expect(await isStaffOnDuty(database.db, homeId, staffId, '2026-09-07')).toBe(true);
    expect(await isStaffOnDuty(database.db, homeId, staffId, '2026-09-08')).toBe(false);
    await database.db.insert(schema.dutyOverrides).values([
      { id: createId('dutyOverride'), homeId, date: '2026-09-08', staffId, kind: 'add' },
      { id: createId('dutyOverride'), homeId, date: '2026-09-21', staffId, kind: 'remove' },
    ]);
    expect(await isStaffOnDuty(database.db, homeId, staffId, '2026-09-08')).toBe(true);
    expect(await isStaffOnDuty(database.db, homeId, staffId, '2026-09-21')).toBe(false);
    expect(await isStaffOnDuty(database.db, 'hom_0000000000000000', staffId, '2026-09-07')).toBe(false);
  });
});

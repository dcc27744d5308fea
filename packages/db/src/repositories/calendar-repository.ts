import {
  type BookingStatus,
  HOLDING_BOOKING_STATUSES,
  type HomeCalendar,
  isContactApproved,
  type SchedulingAvailabilityWindow,
  type SchedulingBooking,
  type SchedulingContact,
  type SchedulingHousehold,
  type SchedulingKiosk,
  type SchedulingOpeningException,
  type SchedulingOpeningRule,
  type TimeRange,
  type Weekday,
} from '@affection/core';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import {
  availabilityWindows,
  children,
  contacts,
  dutyOverrides,
  dutyPatterns,
  households,
  staff,
} from '../schema/index.ts';
import { selectRows } from '../select-rows.ts';

/**
 * A kiosk as the calendar reads it: `enabled` is switched on and not revoked; `enrolled` is whether a tablet was ever
 * enrolled on it. The booking layer places calls only on a kiosk that is both. `lastSeenAt`: when its tablet last
 * reached the server (null when no contact was ever recorded); "call now" keeps to kiosks seen recently.
 */
export interface CalendarKiosk extends SchedulingKiosk {
  enrolled: boolean;
  lastSeenAt: Date | null;
}

/** A Home's slot-deciding calendar, with the Home's id. */
export interface HomeCalendarRecord extends HomeCalendar {
  homeId: string;
  kiosks: CalendarKiosk[];
}

/** One household as scheduling sees it, with its contacts and their availability windows. */
export interface SchedulingHouseholdRecord {
  /** Active children only (not archived, not erased); contacts whatever their approval. */
  household: SchedulingHousehold;
  contacts: SchedulingContact[];
  windows: SchedulingAvailabilityWindow[];
  archived: boolean;
}

/** Everything the slot engine and the weekly scheduler read about one Home. */
export interface SchedulingHome {
  calendar: HomeCalendarRecord;
  /** Households that are not archived and have at least one active child. */
  households: SchedulingHousehold[];
  contacts: SchedulingContact[];
  windows: SchedulingAvailabilityWindow[];
  /** Active bookings (scheduling's sense, `completed` included) overlapping the range. */
  bookings: SchedulingBooking[];
}

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

type CalendarColumns = {
  home_id: string;
  time_zone: string;
  slot_minutes: number;
  buffer_minutes: number;
  weekly_quota_per_child: number;
  booking_horizon_days: number;
  min_notice_minutes: number;
  rules: { weekday: number; startTime: string; endTime: string }[] | string;
  exceptions: { date: string; closed: boolean; startTime: string | null; endTime: string | null }[] | string;
  kiosks: { id: string; enabled: boolean; enrolled: boolean; lastSeenMs: number | null }[] | string;
};

type HouseholdColumns = {
  household_id: string | null;
  household_archived: boolean | null;
  child_ids: string[] | string;
  contacts: { id: string; timeZone: string; approvedAt: string | null; revokedAt: string | null }[] | string;
  windows: { contactId: string; weekday: number; startTime: string; endTime: string }[] | string;
};

type BookingJson = {
  id: string;
  kioskId: string;
  startMs: number;
  endMs: number;
  status: BookingStatus;
  childIds: string[] | null;
  contactIds: string[] | null;
};

/** Both drivers parse `json`; this keeps us safe should one hand back text. */
function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function exceptionDates(range: TimeRange | undefined): { from: string; to: string } {
  return {
    from: range ? isoDate(range.start.getTime() - 2 * DAY_MS) : '0001-01-01',
    to: range ? isoDate(range.end.getTime() + 2 * DAY_MS) : '9999-12-31',
  };
}

/** The calendar's columns of a query over `homes h`. */
function calendarColumns(range: TimeRange | undefined): SQL {
  const dates = exceptionDates(range);
  return sql`h.id as home_id, h.time_zone, h.slot_minutes, h.buffer_minutes, h.weekly_quota_per_child,
    h.booking_horizon_days, h.min_notice_minutes,
    coalesce((select json_agg(json_build_object('weekday', r.weekday, 'startTime', r.start_time,
                'endTime', r.end_time) order by r.weekday, r.start_time)
              from opening_rules r where r.home_id = h.id), '[]'::json) as rules,
    coalesce((select json_agg(json_build_object('date', e.date, 'closed', e.closed, 'startTime', e.start_time,
                'endTime', e.end_time) order by e.date, e.start_time)
              from opening_exceptions e
              where e.home_id = h.id and e.date between ${dates.from}::date and ${dates.to}::date), '[]'::json)
      as exceptions,
    coalesce((select json_agg(json_build_object('id', k.id, 'enabled', k.enabled and k.revoked_at is null,
                'enrolled', k.enrolled_at is not null,
                'lastSeenMs', floor(extract(epoch from k.last_seen_at) * 1000))
                order by k.created_at, k.id)
              from kiosks k where k.home_id = h.id), '[]'::json) as kiosks`;
}

/**
 * One household's columns of a query over `homes h`. Only `household_id` checks the Home: when it is null (another
 * Home's household) the caller ignores the rest; its children and contacts are read by household alone, the index
 * that finds them.
 */
function householdColumns(householdId: string): SQL {
  return sql`(select hh.id from households hh where hh.id = ${householdId} and hh.home_id = h.id) as household_id,
    (select hh.archived_at is not null from households hh where hh.id = ${householdId} and hh.home_id = h.id)
      as household_archived,
    coalesce((select json_agg(c.id order by c.created_at, c.id) from children c
              where c.household_id = ${householdId} and c.archived_at is null and c.erased_at is null), '[]'::json)
      as child_ids,
    coalesce((select json_agg(json_build_object('id', ct.id, 'timeZone', ct.time_zone,
                'approvedAt', ct.approved_at, 'revokedAt', ct.revoked_at) order by ct.created_at, ct.id)
              from contacts ct where ct.household_id = ${householdId}), '[]'::json) as contacts,
    coalesce((select json_agg(json_build_object('contactId', w.contact_id, 'weekday', w.weekday,
                'startTime', w.start_time, 'endTime', w.end_time) order by w.contact_id, w.weekday, w.start_time)
              from availability_windows w
              where w.contact_id = any(array(select ct.id from contacts ct where ct.household_id = ${householdId}))),
            '[]'::json) as windows`;
}

function overlapping(range: TimeRange, statuses: readonly BookingStatus[]): SQL {
  const statusList = sql.join(
    statuses.map((status) => sql`${status}`),
    sql`, `,
  );
  return sql`b.home_id = h.id and b.status in (${statusList})
    and b.start_at < ${range.end.toISOString()}::timestamptz and b.end_at > ${range.start.toISOString()}::timestamptz`;
}

/** The bookings column of a query over `homes h`: the bookings overlapping `range`, as JSON, with their people. */
function bookingsColumn(range: TimeRange, statuses: readonly BookingStatus[]): SQL {
  return sql`coalesce((select json_agg(json_build_object(
                'id', b.id, 'kioskId', b.kiosk_id, 'status', b.status,
                'startMs', floor(extract(epoch from b.start_at) * 1000),
                'endMs', floor(extract(epoch from b.end_at) * 1000),
                'childIds', (select json_agg(bc.child_id) from booking_children bc where bc.booking_id = b.id),
                'contactIds', (select json_agg(bk.contact_id) from booking_contacts bk where bk.booking_id = b.id))
              order by b.start_at, b.id)
            from bookings b where ${overlapping(range, statuses)}), '[]'::json) as bookings`;
}

/**
 * The kiosks held over `range`, compactly: `[id, kioskId, status, startMs, endMs]` per booking, unordered (the
 * snapshot sorts). What a decision needs of other households' bookings.
 */
function kioskHoldsColumn(range: TimeRange, statuses: readonly BookingStatus[]): SQL {
  return sql`coalesce((select json_agg(json_build_array(b.id, b.kiosk_id, b.status,
                floor(extract(epoch from b.start_at) * 1000), floor(extract(epoch from b.end_at) * 1000)))
            from bookings b where ${overlapping(range, statuses)}), '[]'::json) as kiosk_holds`;
}

type KioskHoldJson = [string, string, BookingStatus, number, number];

/**
 * The bookings overlapping `range` that hold one household's children or contacts, as JSON, each listing only that
 * household's children and contacts. Found from the link rows' own mirrored spans through their child and contact
 * indexes, then by primary key: never a walk over the Home's bookings (without statistics, as on PGlite, the
 * planner would otherwise take one).
 */
function ownBookingsColumn(householdId: string, range: TimeRange, statuses: readonly BookingStatus[]): SQL {
  const from = sql`${range.start.toISOString()}::timestamptz`;
  const to = sql`${range.end.toISOString()}::timestamptz`;
  const statusList = sql.join(
    statuses.map((status) => sql`${status}`),
    sql`, `,
  );
  const kids = sql`array(select c.id from children c where c.household_id = ${householdId})`;
  const adults = sql`array(select ct.id from contacts ct where ct.household_id = ${householdId})`;
  return sql`coalesce((select json_agg(json_build_object(
                'id', b.id, 'kioskId', b.kiosk_id, 'status', b.status,
                'startMs', floor(extract(epoch from b.start_at) * 1000),
                'endMs', floor(extract(epoch from b.end_at) * 1000),
                'childIds', (select json_agg(x.child_id) from booking_children x
                             where x.booking_id = b.id and x.child_id = any(${kids})),
                'contactIds', (select json_agg(y.contact_id) from booking_contacts y
                               where y.booking_id = b.id and y.contact_id = any(${adults})))
              order by b.start_at, b.id)
            from bookings b
            where b.id = any(array(
                    select bc.booking_id from booking_children bc
                     where bc.child_id = any(${kids}) and bc.start_at < ${to} and bc.end_at > ${from}
                    union
                    select bk.booking_id from booking_contacts bk
                     where bk.contact_id = any(${adults}) and bk.start_at < ${to} and bk.end_at > ${from}))
              and b.status in (${statusList})), '[]'::json) as own_bookings`;
}

function toCalendar(row: CalendarColumns): HomeCalendarRecord {
  return {
    homeId: row.home_id,
    settings: {
      timeZone: row.time_zone,
      slotMinutes: row.slot_minutes,
      bufferMinutes: row.buffer_minutes,
      weeklyQuotaPerChild: row.weekly_quota_per_child,
      bookingHorizonDays: row.booking_horizon_days,
      minNoticeMinutes: row.min_notice_minutes,
    },
    openingRules: parsed(row.rules).map(
      (r): SchedulingOpeningRule => ({ weekday: r.weekday as Weekday, startTime: r.startTime, endTime: r.endTime }),
    ),
    openingExceptions: parsed(row.exceptions).map(
      (e): SchedulingOpeningException => ({
        date: e.date,
        closed: e.closed,
        startTime: e.startTime,
        endTime: e.endTime,
      }),
    ),
    kiosks: parsed(row.kiosks).map(
      (k): CalendarKiosk => ({
        id: k.id,
        enabled: k.enabled,
        enrolled: k.enrolled,
        lastSeenAt: k.lastSeenMs === null ? null : new Date(Number(k.lastSeenMs)),
      }),
    ),
  };
}

function toHousehold(row: HouseholdColumns): SchedulingHouseholdRecord | null {
  if (row.household_id === null) return null;
  const contactRows = parsed(row.contacts);
  return {
    household: { id: row.household_id, childIds: parsed(row.child_ids), contactIds: contactRows.map((c) => c.id) },
    contacts: contactRows.map(
      (c): SchedulingContact => ({
        id: c.id,
        timeZone: c.timeZone,
        approved: isContactApproved({
          approvedAt: c.approvedAt === null ? null : new Date(c.approvedAt),
          revokedAt: c.revokedAt === null ? null : new Date(c.revokedAt),
        }),
      }),
    ),
    windows: parsed(row.windows).map(
      (w): SchedulingAvailabilityWindow => ({
        contactId: w.contactId,
        weekday: w.weekday as Weekday,
        startTime: w.startTime,
        endTime: w.endTime,
      }),
    ),
    archived: row.household_archived === true,
  };
}

function toBookings(value: BookingJson[] | string): SchedulingBooking[] {
  return parsed(value).map((b) => ({
    id: b.id,
    kioskId: b.kioskId,
    start: new Date(Number(b.startMs)),
    end: new Date(Number(b.endMs)),
    status: b.status,
    childIds: b.childIds ?? [],
    contactIds: b.contactIds ?? [],
  }));
}

/**
 * The Home's calendar in one round trip: settings, weekly opening rules, dated exceptions and kiosks (a kiosk takes
 * calls when enabled and not revoked). With `range`, only the exceptions on dates that can touch it (two days of
 * margin for any zone) are read; without, all of them. Null for an unknown Home.
 *
 * @example const calendar = await loadHomeCalendar(db, homeId, { start: now, end: horizon });
 */
export async function loadHomeCalendar(db: Db, homeId: string, range?: TimeRange): Promise<HomeCalendarRecord | null> {
  const [row] = await selectRows<CalendarColumns>(
    db,
    sql`select ${calendarColumns(range)} from homes h where h.id = ${homeId}`,
  );
  return row ? toCalendar(row) : null;
}

/**
 * One household of a Home as scheduling needs it, in one round trip: its active children, every contact (with
 * `approved` as {@link isContactApproved} decides) and the contacts' availability windows. Null when the household
 * is not in this Home.
 */
export async function loadSchedulingHousehold(
  db: Db,
  homeId: string,
  householdId: string,
): Promise<SchedulingHouseholdRecord | null> {
  const [row] = await selectRows<HouseholdColumns>(
    db,
    sql`select ${householdColumns(householdId)} from homes h where h.id = ${homeId}`,
  );
  return row ? toHousehold(row) : null;
}

/** What one booking decision reads: the calendar, the household and the Home's bookings around the request. */
export interface BookingSnapshot {
  calendar: HomeCalendarRecord;
  /** Null when the household is not in this Home. */
  household: SchedulingHouseholdRecord | null;
  /**
   * Active bookings (scheduling's sense): every booking overlapping `kioskRange` (for the kiosks it holds) and every
   * booking of this household's children or contacts overlapping `householdRange` (for busy people and the weekly
   * quota). Each lists only THIS household's children and contacts: all a decision about this household needs.
   */
  bookings: SchedulingBooking[];
}

/** The spans a {@link loadBookingSnapshot} reads. */
export interface BookingSnapshotRanges {
  /** Exceptions are read for the dates this can touch. */
  calendarRange: TimeRange;
  /** Bookings of any household overlapping it: the kiosks they hold. */
  kioskRange: TimeRange;
  /** Bookings of this household overlapping it: its quota weeks and any overlap. */
  householdRange: TimeRange;
}

/**
 * {@link loadHomeCalendar}, {@link loadSchedulingHousehold} and the bookings that matter to one household's decision
 * in ONE round trip (one statement, one snapshot): what a slot search or a booking decision reads. Null for an
 * unknown Home.
 */
export async function loadBookingSnapshot(
  db: Db,
  homeId: string,
  householdId: string,
  ranges: BookingSnapshotRanges,
): Promise<BookingSnapshot | null> {
  const [row] = await selectRows<
    CalendarColumns & HouseholdColumns & { kiosk_holds: KioskHoldJson[] | string; own_bookings: BookingJson[] | string }
  >(
    db,
    sql`select ${calendarColumns(ranges.calendarRange)}, ${householdColumns(householdId)},
          ${kioskHoldsColumn(ranges.kioskRange, HOLDING_BOOKING_STATUSES)},
          ${ownBookingsColumn(householdId, ranges.householdRange, HOLDING_BOOKING_STATUSES)}
        from homes h where h.id = ${homeId}`,
  );
  if (!row) return null;
  const byId = new Map<string, SchedulingBooking>();
  for (const [id, kioskId, status, startMs, endMs] of parsed(row.kiosk_holds)) {
    const hold = { start: new Date(Number(startMs)), end: new Date(Number(endMs)) };
    byId.set(id, { id, kioskId, status, ...hold, childIds: [], contactIds: [] });
  }
  for (const own of toBookings(row.own_bookings)) byId.set(own.id, own);
  const bookings = [...byId.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || (a.id < b.id ? -1 : 1));
  return { calendar: toCalendar(row), household: toHousehold(row), bookings };
}

/** Options of {@link listSchedulingBookings}. */
export interface ListSchedulingBookingsOptions {
  /** Statuses to read. Default: scheduling's active ones (`proposed`, `confirmed`, `in-progress`, `completed`). */
  statuses?: readonly BookingStatus[];
}

/**
 * A Home's bookings overlapping `range`, as the slot engine reads them: kiosk, span, status and the children and
 * contacts on each (from the link tables). Ordered by start.
 */
export async function listSchedulingBookings(
  db: Db,
  homeId: string,
  range: TimeRange,
  options: ListSchedulingBookingsOptions = {},
): Promise<SchedulingBooking[]> {
  const statuses = options.statuses ?? HOLDING_BOOKING_STATUSES;
  if (statuses.length === 0) return [];
  const [row] = await selectRows<{ bookings: BookingJson[] | string }>(
    db,
    sql`select ${bookingsColumn(range, statuses)} from homes h where h.id = ${homeId}`,
  );
  return row ? toBookings(row.bookings) : [];
}

/**
 * Everything scheduling reads about one Home: its calendar, the households that can be called (not archived, with
 * at least one active child), every contact with `approved`, every availability window, and the active bookings
 * overlapping `range`. Null for an unknown Home. Reads the tables directly.
 */
export async function loadSchedulingHome(db: Db, homeId: string, range: TimeRange): Promise<SchedulingHome | null> {
  const calendar = await loadHomeCalendar(db, homeId, range);
  if (!calendar) return null;
  const [householdRows, childRows, contactRows, windowRows, bookingRows] = await Promise.all([
    db
      .select({ id: households.id })
      .from(households)
      .where(and(eq(households.homeId, homeId), isNull(households.archivedAt)))
      .orderBy(asc(households.createdAt), asc(households.id)),
    db
      .select({ id: children.id, householdId: children.householdId })
      .from(children)
      .where(and(eq(children.homeId, homeId), isNull(children.archivedAt), isNull(children.erasedAt)))
      .orderBy(asc(children.createdAt), asc(children.id)),
    db
      .select({
        id: contacts.id,
        householdId: contacts.householdId,
        timeZone: contacts.timeZone,
        approvedAt: contacts.approvedAt,
        revokedAt: contacts.revokedAt,
      })
      .from(contacts)
      .where(eq(contacts.homeId, homeId))
      .orderBy(asc(contacts.createdAt), asc(contacts.id)),
    db
      .select({
        contactId: availabilityWindows.contactId,
        weekday: availabilityWindows.weekday,
        startTime: availabilityWindows.startTime,
        endTime: availabilityWindows.endTime,
      })
      .from(availabilityWindows)
      .innerJoin(contacts, eq(contacts.id, availabilityWindows.contactId))
      .where(eq(contacts.homeId, homeId))
      .orderBy(
        asc(availabilityWindows.contactId),
        asc(availabilityWindows.weekday),
        asc(availabilityWindows.startTime),
      ),
    listSchedulingBookings(db, homeId, range),
  ]);
  const childrenOf = new Map<string, string[]>();
  for (const child of childRows)
    childrenOf.set(child.householdId, [...(childrenOf.get(child.householdId) ?? []), child.id]);
  const contactsOf = new Map<string, string[]>();
  for (const contact of contactRows) {
    contactsOf.set(contact.householdId, [...(contactsOf.get(contact.householdId) ?? []), contact.id]);
  }
  return {
    calendar,
    households: householdRows
      .filter((h) => (childrenOf.get(h.id)?.length ?? 0) > 0)
      .map((h) => ({ id: h.id, childIds: childrenOf.get(h.id) ?? [], contactIds: contactsOf.get(h.id) ?? [] })),
    contacts: contactRows.map((c) => ({ id: c.id, timeZone: c.timeZone, approved: isContactApproved(c) })),
    windows: windowRows.map((w) => ({ ...w, weekday: w.weekday as Weekday })),
    bookings: bookingRows,
  };
}

/**
 * Whether a staff member is on duty on `date` ('YYYY-MM-DD', the Home's calendar): on the weekly rota for that
 * weekday and not removed for the date, or added for the date; and active.
 */
export async function isStaffOnDuty(db: Db, homeId: string, staffId: string, date: string): Promise<boolean> {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekday = day === 0 ? 7 : day;
  const [row] = await selectRows<{ on_duty: boolean }>(
    db,
    sql`select exists (select 1 from ${staff} s where s.id = ${staffId} and s.home_id = ${homeId} and s.active)
        and coalesce(
          (select o.kind = 'add' from ${dutyOverrides} o
            where o.home_id = ${homeId} and o.staff_id = ${staffId} and o.date = ${date}::date),
          exists (select 1 from ${dutyPatterns} p
            where p.home_id = ${homeId} and p.staff_id = ${staffId} and p.weekday = ${weekday})) as on_duty`,
  );
  return row?.on_duty === true;
}

/** One household as a read model keeps it: the scheduling record, with every child and contact it ever had. */
export interface ReadModelHousehold {
  /** Null when the household is not in this Home. */
  record: SchedulingHouseholdRecord | null;
  /** Every child of the household (archived and erased too): whose bookings are the household's own. */
  allChildIds: string[];
}

/**
 * {@link loadSchedulingHousehold} with the ids of all the household's children, as {@link loadBookingSnapshot} finds
 * the household's own bookings by: what a read model of slots keeps per household. One round trip.
 */
export async function loadReadModelHousehold(db: Db, homeId: string, householdId: string): Promise<ReadModelHousehold> {
  const [row] = await selectRows<HouseholdColumns & { all_child_ids: string[] | string }>(
    db,
    sql`select ${householdColumns(householdId)},
          coalesce((select json_agg(c.id) from children c where c.household_id = ${householdId}), '[]'::json)
            as all_child_ids
        from homes h where h.id = ${homeId}`,
  );
  if (!row) return { record: null, allChildIds: [] };
  return { record: toHousehold(row), allChildIds: parsed(row.all_child_ids) };
}

/**
 * Bookings of a Home by id, whatever their status, with all their children and contacts: what a read model reloads
 * when it hears that these bookings changed. A booking not found (deleted, another Home's) is left out.
 */
export async function loadBookingsById(db: Db, homeId: string, ids: readonly string[]): Promise<SchedulingBooking[]> {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const [row] = await selectRows<{ bookings: BookingJson[] | string }>(
    db,
    sql`select coalesce((select json_agg(json_build_object(
                'id', b.id, 'kioskId', b.kiosk_id, 'status', b.status,
                'startMs', floor(extract(epoch from b.start_at) * 1000),
                'endMs', floor(extract(epoch from b.end_at) * 1000),
                'childIds', (select json_agg(bc.child_id) from booking_children bc where bc.booking_id = b.id),
                'contactIds', (select json_agg(bk.contact_id) from booking_contacts bk where bk.booking_id = b.id)))
              from bookings b where b.home_id = ${homeId} and b.id in (${list})), '[]'::json) as bookings`,
  );
  return row ? toBookings(row.bookings) : [];
}

import { AppError, type BookingStatus, HOLDING_BOOKING_STATUSES, type SchedulingBooking } from '@affection/core';
import {
  type DatabaseChangeEvent,
  type DatabaseChangeFeed,
  type Db,
  type HomeCalendarRecord,
  listSchedulingBookings,
  loadBookingsById,
  loadHomeCalendar,
  loadReadModelHousehold,
  type ReadModelHousehold,
} from '@affection/db';
import { type DecisionInputs, snapshotRanges, withBookableKiosks, withHorizon } from './booking-context.ts';

const DAY_MS = 86_400_000;
/** What a Home's model holds of bookings, around now: far enough back for a quota week, past any horizon. */
const HELD_BEFORE_MS = 10 * DAY_MS;
const HELD_AFTER_MS = 120 * DAY_MS;
/** A Home nobody searched for this long is forgotten. */
const IDLE_MS = 10 * 60_000;

/** The calendar, households and bookings a slot search decides on, served from memory (see {@link createSlotReadModel}). */
export interface SlotReadModel {
  /**
   * What `loadDecisionInputs` would read for a search, from memory, brought up to date with every change committed
   * before the call (the feed's `sync`); null when the model cannot vouch for it (the feed cannot sync, or the span is
   * beyond what it holds): the caller reads the database. `freshAsOf` (a `performance.now()` time, default the call):
   * the changes committed before it are seen (a request passes its start, sharing the feed's proof with its other
   * steps). Errors as `loadDecisionInputs`: a 404 for a Home gone, or a household not of it.
   */
  decisionInputs(
    homeId: string,
    householdId: string,
    ranges: { now: Date; until: Date; span: { start: Date; end: Date }; horizonDays?: number },
    freshAsOf?: number,
  ): Promise<DecisionInputs | null>;
  /** Counters since the start, for benchmarks and metrics. */
  stats(): SlotReadModelStats;
  /** Stops listening to the change feed and forgets everything. */
  close(): void;
}

/** {@link SlotReadModel.stats}. */
export interface SlotReadModelStats {
  /** Searches answered from memory. */
  served: number;
  /** Searches the model left to the database (feed could not sync, span not held). */
  declined: number;
  /** Whole loads of a Home's bookings; reloads of changed bookings; loads of a household; of a calendar. */
  homeLoads: number;
  bookingReloads: number;
  householdLoads: number;
  calendarLoads: number;
  /** Homes held now. */
  homes: number;
}

/** One Home as the model holds it. */
interface HomeModel {
  homeId: string;
  /** undefined: not loaded yet; null: no such Home. */
  calendar: HomeCalendarRecord | null | undefined;
  calendarDirty: boolean;
  /** Holding bookings overlapping `held`, by id, and sorted by start then id. */
  bookings: Map<string, SchedulingBooking>;
  sorted: SchedulingBooking[];
  /** The longest booking held (a booking starting this long before a span can still overlap it). */
  longestMs: number;
  /** Each booking as another household's decision sees it: the kiosk and span, none of its people. */
  holds: Map<string, SchedulingBooking>;
  /** Booking ids by each child and contact on them. */
  byPerson: Map<string, Set<string>>;
  held: { start: number; end: number } | null;
  /** Bookings heard changed since the last reload. */
  dirty: Set<string>;
  households: Map<string, Promise<ReadModelHousehold>>;
  refreshing: Promise<void> | null;
  usedAt: number;
}

/** What {@link createSlotReadModel} needs. */
export interface CreateSlotReadModelOptions {
  db: Db;
  /** The process's feed of the database's change notifications. */
  changes: DatabaseChangeFeed;
}

/**
 * A per-Home read model of what the slot engine decides on — the calendar (settings, opening hours, kiosks), the
 * households a search asked for, and every booking holding a kiosk or a person from 10 days back to 120 days ahead —
 * kept in this process's memory and brought up to date by the database's change notifications (migration 0014), so
 * that a slot search reads nothing from the tables. Each search first has the feed prove that every change committed
 * before it has been heard (one `select 1` on the listening connection, shared by concurrent searches): a search
 * sees every write that finished before it, from any process. A changed booking is then reloaded alone (one statement
 * for all those heard since the last search); a changed household or calendar is read again when next needed. While
 * the feed cannot prove it (its connection lost or not answering), searches go to the database as before; when it
 * listens again every Home is forgotten. The model only offers: the booking write still checks everything in its
 * own transaction.
 *
 * @example
 * const slots = createSlotReadModel({ db: database.db, changes: await createDatabaseChangeFeed(database) });
 * const found = await findSlots({ db, now, slots }, request);
 */
export function createSlotReadModel(options: CreateSlotReadModelOptions): SlotReadModel {
  const { db, changes } = options;
  const homes = new Map<string, HomeModel>();
  const counts = { served: 0, declined: 0, homeLoads: 0, bookingReloads: 0, householdLoads: 0, calendarLoads: 0 };
  let lastSweep = 0;

  const unsubscribe = changes.subscribe((event: DatabaseChangeEvent) => {
    if (event.kind === 'reset') {
      homes.clear();
      return;
    }
    if (event.kind === 'staff') return;
    const home = homes.get(event.homeId);
    if (!home) return;
    if (event.kind === 'booking') home.dirty.add(event.bookingId);
    else if (event.kind === 'household') home.households.delete(event.householdId);
    else home.calendarDirty = true;
  });

  const sweep = (nowMs: number) => {
    if (nowMs - lastSweep < 60_000) return;
    lastSweep = nowMs;
    for (const [homeId, home] of homes) if (nowMs - home.usedAt > IDLE_MS) homes.delete(homeId);
  };

  const index = (home: HomeModel, booking: SchedulingBooking) => {
    home.sorted.splice(sortedPosition(home.sorted, booking), 0, booking);
    indexPeople(home, booking);
  };
  /** The booking by id and by each person on it (the caller places it in `sorted`). */
  const indexPeople = (home: HomeModel, booking: SchedulingBooking) => {
    home.bookings.set(booking.id, booking);
    home.holds.set(booking.id, { ...booking, childIds: [], contactIds: [] });
    home.longestMs = Math.max(home.longestMs, booking.end.getTime() - booking.start.getTime());
    for (const person of [...booking.childIds, ...booking.contactIds]) {
      let ids = home.byPerson.get(person);
      if (!ids) {
        ids = new Set();
        home.byPerson.set(person, ids);
      }
      ids.add(booking.id);
    }
  };
  const unindex = (home: HomeModel, id: string) => {
    const old = home.bookings.get(id);
    if (!old) return;
    home.bookings.delete(id);
    home.holds.delete(id);
    const at = sortedPosition(home.sorted, old);
    if (home.sorted[at] === old) home.sorted.splice(at, 1);
    for (const person of [...old.childIds, ...old.contactIds]) home.byPerson.get(person)?.delete(id);
  };
  const isHeld = (home: HomeModel, b: SchedulingBooking) =>
    home.held !== null &&
    (HOLDING_BOOKING_STATUSES as readonly BookingStatus[]).includes(b.status) &&
    b.start.getTime() < home.held.end &&
    b.end.getTime() > home.held.start;

  /** One round of bringing a Home up to date: calendar, whole bookings (first time, or span not held), changed ones. */
  const refresh = async (home: HomeModel, nowMs: number, need: { start: number; end: number }) => {
    if (home.calendar === undefined || home.calendarDirty) {
      home.calendarDirty = false;
      try {
        const calendar = await loadHomeCalendar(db, home.homeId, {
          start: new Date(nowMs - HELD_BEFORE_MS),
          end: new Date(nowMs + HELD_AFTER_MS),
        });
        // Kept as every decision takes it: only bookable kiosks enabled.
        home.calendar = calendar && withBookableKiosks(calendar);
        counts.calendarLoads += 1;
      } catch (error) {
        home.calendarDirty = true;
        throw error;
      }
    }
    if (home.held === null || need.start < home.held.start || need.end > home.held.end) {
      const held = { start: nowMs - HELD_BEFORE_MS, end: nowMs + HELD_AFTER_MS };
      home.dirty.clear();
      const all = await listSchedulingBookings(db, home.homeId, {
        start: new Date(held.start),
        end: new Date(held.end),
      });
      home.bookings.clear();
      home.holds.clear();
      home.byPerson.clear();
      home.sorted = [];
      home.longestMs = 0;
      home.held = held;
      for (const booking of all.sort(byStartThenId)) {
        home.sorted.push(booking);
        indexPeople(home, booking);
      }
      counts.homeLoads += 1;
      return;
    }
    if (home.dirty.size === 0) return;
    const ids = [...home.dirty];
    home.dirty.clear();
    let reloaded: SchedulingBooking[];
    try {
      reloaded = await loadBookingsById(db, home.homeId, ids);
    } catch (error) {
      for (const id of ids) home.dirty.add(id);
      throw error;
    }
    for (const id of ids) unindex(home, id);
    for (const booking of reloaded) if (isHeld(home, booking)) index(home, booking);
    counts.bookingReloads += 1;
  };

  const isStale = (home: HomeModel, need: { start: number; end: number }) =>
    home.calendar === undefined ||
    home.calendarDirty ||
    home.held === null ||
    need.start < home.held.start ||
    need.end > home.held.end ||
    home.dirty.size > 0;

  /** Brings the Home up to date with what was heard before this call (a refresh under way may predate it). */
  const bringUpToDate = async (home: HomeModel, nowMs: number, need: { start: number; end: number }) => {
    for (let round = 0; round < 2 && isStale(home, need); round += 1) {
      home.refreshing ??= refresh(home, nowMs, need).finally(() => {
        home.refreshing = null;
      });
      await home.refreshing;
    }
  };

  const householdOf = (home: HomeModel, householdId: string): Promise<ReadModelHousehold> => {
    let loading = home.households.get(householdId);
    if (!loading) {
      loading = loadReadModelHousehold(db, home.homeId, householdId);
      counts.householdLoads += 1;
      home.households.set(householdId, loading);
      loading.catch(() => {
        if (home.households.get(householdId) === loading) home.households.delete(householdId);
      });
    }
    return loading;
  };

  return {
    async decisionInputs(homeId, householdId, ranges, freshAsOf) {
      const nowMs = ranges.now.getTime();
      const { kioskRange, householdRange } = snapshotRanges(ranges.now, ranges.until, ranges.span);
      const need = {
        start: Math.min(kioskRange.start.getTime(), householdRange.start.getTime()),
        end: Math.max(kioskRange.end.getTime(), householdRange.end.getTime()),
      };
      // Everything committed before this search must have been heard: then the model is as fresh as a read.
      if (need.end > nowMs + HELD_AFTER_MS || need.start < nowMs - HELD_BEFORE_MS || !(await changes.sync(freshAsOf))) {
        counts.declined += 1;
        return null;
      }
      sweep(nowMs);
      let home = homes.get(homeId);
      if (!home) {
        home = {
          homeId,
          calendar: undefined,
          calendarDirty: false,
          bookings: new Map(),
          holds: new Map(),
          sorted: [],
          longestMs: 0,
          byPerson: new Map(),
          held: null,
          dirty: new Set(),
          households: new Map(),
          refreshing: null,
          usedAt: nowMs,
        };
        homes.set(homeId, home);
      }
      home.usedAt = nowMs;
      const [household] = await Promise.all([householdOf(home, householdId), bringUpToDate(home, nowMs, need)]);
      if (!home.calendar) throw new AppError('not-found', 'Your Home no longer exists.');
      const record = household.record;
      if (!record || record.archived) throw new AppError('not-found', 'No such household in your Home.');

      // Every booking holding a kiosk around the span, without its people...
      const byId = new Map<string, SchedulingBooking>();
      const { sorted } = home;
      const kioskStart = kioskRange.start.getTime();
      const kioskEnd = kioskRange.end.getTime();
      for (let i = firstStartingAtOrAfter(sorted, kioskStart - home.longestMs); i < sorted.length; i += 1) {
        const b = sorted[i] as SchedulingBooking;
        if (b.start.getTime() >= kioskEnd) break;
        if (b.end.getTime() > kioskStart) byId.set(b.id, home.holds.get(b.id) ?? b);
      }
      // ...and the household's own bookings of the quota weeks around it, with only its own people.
      const kids = new Set(household.allChildIds);
      const adults = new Set(record.contacts.map((c) => c.id));
      const ownStart = householdRange.start.getTime();
      const ownEnd = householdRange.end.getTime();
      for (const person of [...kids, ...adults]) {
        for (const id of home.byPerson.get(person) ?? []) {
          const b = home.bookings.get(id);
          if (!b || b.start.getTime() >= ownEnd || b.end.getTime() <= ownStart) continue;
          byId.set(id, {
            ...b,
            childIds: b.childIds.filter((c) => kids.has(c)),
            contactIds: b.contactIds.filter((c) => adults.has(c)),
          });
        }
      }
      counts.served += 1;
      return {
        calendar: withHorizon(home.calendar, ranges.horizonDays),
        household: record,
        bookings: [...byId.values()].sort(byStartThenId),
      };
    },
    stats: () => ({ ...counts, homes: homes.size }),
    close() {
      unsubscribe();
      homes.clear();
    },
  };
}

function byStartThenId(a: SchedulingBooking, b: SchedulingBooking): number {
  return a.start.getTime() - b.start.getTime() || (a.id < b.id ? -1 : 1);
}

/** Where `booking` is, or would go, in bookings sorted by {@link byStartThenId}. */
function sortedPosition(sorted: readonly SchedulingBooking[], booking: SchedulingBooking): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (byStartThenId(sorted[mid] as SchedulingBooking, booking) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The index of the first booking starting at or after `ms` in bookings sorted by start. */
function firstStartingAtOrAfter(sorted: readonly SchedulingBooking[], ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as SchedulingBooking).start.getTime() < ms) low = mid + 1;
    else high = mid;
  }
  return low;
}

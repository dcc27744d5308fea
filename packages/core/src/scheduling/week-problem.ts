import { isCountedBooking } from '../bookings/booking-statuses.ts';
import { addLocalDays, parseIsoDate, WallClock, weekStartOf } from '../time/zoned-time.ts';
import { availabilityIntervalsMs } from './availability-intervals.ts';
import { type Interval, isCovered, overlaps } from './interval.ts';
import { countQuotaUsage, quotaUsed } from './quota.ts';
import { bookableSlotsMs } from './slot-engine.ts';
import type {
  FreeSlot,
  HomeCalendar,
  SchedulingAvailabilityWindow,
  SchedulingBooking,
  SchedulingContact,
  SchedulingHousehold,
} from './types.ts';

/** One contact of a candidate household and the slots they can take. */
export interface CandidateOption {
  contactId: string;
  /** Indexes into {@link WeekProblem.slots}. */
  slotIndexes: number[];
}

/** A household as the weekly scheduler sees it. */
export interface CandidateHousehold {
  householdId: string;
  /** The children a call would reach this week (siblings share the call). */
  childIds: string[];
  /** The household's approved contacts, in the household's order, each with the slots they can take. */
  options: CandidateOption[];
}

/** Input of the weekly schedulers: the week's free capacity and who can use which part of it. */
export interface WeekProblem {
  /** The week's bookable slots; each free kiosk of a slot is one call's worth of capacity. */
  slots: FreeSlot[];
  households: CandidateHousehold[];
  /** Each child's last completed call; a child missing from the map has never had one (the longest wait). */
  lastCallAt: ReadonlyMap<string, Date>;
  /** The instant waits are measured at. */
  now: Date;
  /** Children who already have an active booking this week: they count as reached and are not candidates. */
  alreadyBookedChildIds: string[];
}

/** Options of {@link buildWeekProblem}. */
export interface BuildWeekProblemOptions {
  calendar: HomeCalendar;
  /** Any date (`YYYY-MM-DD`) of the week to plan; the week runs Monday to Sunday in the Home's zone. */
  week: string;
  households: readonly SchedulingHousehold[];
  contacts: readonly SchedulingContact[];
  /** Availability windows of all contacts, each read in its contact's zone. */
  windows: readonly SchedulingAvailabilityWindow[];
  /** Existing bookings: active ones use up capacity, hold children and contacts, and count for quota. */
  bookings: readonly SchedulingBooking[];
  /** Each child's last completed call; missing = never called. */
  lastCallAt: ReadonlyMap<string, Date>;
  /** The current instant: slots must respect the minimum notice and horizon from it. */
  now: Date;
}

/**
 * Gathers one week's scheduling problem from the Home's data: the week's bookable slots with their free kiosks, and
 * for each household the children still to reach this week (no active booking this week, quota left) and, per
 * approved contact, the slots inside the contact's availability where neither they nor the children are busy.
 * Households with no child left to reach are left out; households whose contacts fit no slot stay, with no options.
 * @throws RangeError when a child or a contact belongs to two households.
 */
export function buildWeekProblem(options: BuildWeekProblemOptions): WeekProblem {
  const { calendar, households, now } = options;
  const zone = calendar.settings.timeZone;
  const clock = new WallClock();
  const someDay = parseIsoDate(options.week);
  const monday = addLocalDays(someDay, 1 - someDay.weekday);
  const from = new Date(clock.toUtcMs(zone, monday, 0));
  const to = new Date(clock.toUtcMs(zone, addLocalDays(monday, 7), 0));
  assertDisjointHouseholds(households);

  const slotsMs = bookableSlotsMs({ calendar, bookings: options.bookings, now, from, to }, clock);
  const active = options.bookings.filter(isCountedBooking);
  const alreadyBooked = new Set(
    active.filter((b) => weekStartOf(b.start, zone) === monday.iso).flatMap((b) => b.childIds),
  );
  const usage = countQuotaUsage(active, zone);
  const quota = calendar.settings.weeklyQuotaPerChild;
  const contactsById = new Map(options.contacts.map((c) => [c.id, c]));
  const windowsByContact = new Map<string, SchedulingAvailabilityWindow[]>();
  for (const w of options.windows) {
    const list = windowsByContact.get(w.contactId) ?? [];
    list.push(w);
    windowsByContact.set(w.contactId, list);
  }
  const rangeStart = slotsMs[0]?.start ?? from.getTime();
  const rangeEnd = slotsMs.at(-1)?.end ?? to.getTime();
  // Who is busy when, indexed by child and contact id, from the bookings that can touch this week's slots.
  const busyByParty = new Map<string, Interval[]>();
  for (const b of active) {
    const span = { start: b.start.getTime(), end: b.end.getTime() };
    if (!overlaps(span.start, span.end, rangeStart, rangeEnd)) continue;
    for (const id of new Set([...b.childIds, ...b.contactIds])) {
      const list = busyByParty.get(id) ?? [];
      list.push(span);
      busyByParty.set(id, list);
    }
  }

  // Contacts in the same zone with the same windows can take the same slots, and at county scale most contacts share
  // one of a few shift patterns: each pattern's windows are read and laid over the slots once.
  const coveredByPattern = new Map<string, number[]>();
  const slotsCoveredFor = (contact: SchedulingContact, windows: readonly SchedulingAvailabilityWindow[]) => {
    const key = patternKey(contact.timeZone, windows);
    let covered = coveredByPattern.get(key);
    if (covered === undefined) {
      const available = availabilityIntervalsMs(contact, windows, rangeStart, rangeEnd, clock);
      covered = [];
      for (let index = 0; index < slotsMs.length; index++) {
        const slot = slotsMs[index]!;
        if (isCovered(available, slot.start, slot.end)) covered.push(index);
      }
      coveredByPattern.set(key, covered);
    }
    return covered;
  };

  const candidates: CandidateHousehold[] = [];
  for (const household of households) {
    const childIds = household.childIds.filter((c) => !alreadyBooked.has(c) && quotaUsed(usage, c, monday.iso) < quota);
    if (childIds.length === 0) continue;
    const childBusy = childIds.flatMap((c) => busyByParty.get(c) ?? []);
    const candidateOptions: CandidateOption[] = [];
    for (const contactId of household.contactIds) {
      const contact = contactsById.get(contactId);
      if (!contact?.approved) continue;
      const covered = slotsCoveredFor(contact, windowsByContact.get(contactId) ?? []);
      if (covered.length === 0) continue;
      const busy = [...childBusy, ...(busyByParty.get(contactId) ?? [])];
      const slotIndexes =
        busy.length === 0
          ? covered.slice()
          : covered.filter((index) => {
              const slot = slotsMs[index]!;
              return !busy.some((b) => overlaps(b.start, b.end, slot.start, slot.end));
            });
      if (slotIndexes.length > 0) candidateOptions.push({ contactId, slotIndexes });
    }
    candidates.push({ householdId: household.id, childIds, options: candidateOptions });
  }
  return {
    slots: slotsMs.map((s): FreeSlot => ({ start: new Date(s.start), end: new Date(s.end), kioskIds: s.kioskIds })),
    households: candidates,
    lastCallAt: options.lastCallAt,
    now,
    alreadyBookedChildIds: [...alreadyBooked],
  };
}

/**
 * What a contact's availability depends on: their zone and their windows. The key leaves out what does not change
 * the merged intervals (the windows' order, the contact's id); repeated windows still give their own key.
 */
function patternKey(timeZone: string, windows: readonly SchedulingAvailabilityWindow[]): string {
  // Each part is self-delimiting (lengths before the strings), so two different sets never give the same key.
  const parts = windows.map((w) => `${w.weekday}:${w.startTime.length}:${w.startTime}${w.endTime.length}:${w.endTime}`);
  if (parts.length > 1) parts.sort();
  return `${timeZone.length}:${timeZone}${parts.join('')}`;
}

function assertDisjointHouseholds(households: readonly SchedulingHousehold[]): void {
  // Each id's household, by position: an id repeated within one household is not a conflict.
  const owner = new Map<string, number>();
  households.forEach((household, index) => {
    for (const ids of [household.childIds, household.contactIds]) {
      for (const id of ids) {
        const other = owner.get(id);
        if (other === index) continue;
        if (other !== undefined)
          throw new RangeError(`${id} belongs to both ${households[other]!.id} and ${household.id}`);
        owner.set(id, index);
      }
    }
  });
}

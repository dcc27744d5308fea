import { isCountedBooking } from '../bookings/booking-statuses.ts';
import { WallClock, weekStartOf } from '../time/zoned-time.ts';
import { availabilityIntervalsMs } from './availability-intervals.ts';
import { householdChildren } from './household-children.ts';
import { type Interval, isCovered, overlaps } from './interval.ts';
import { countQuotaUsage, quotaUsed } from './quota.ts';
import { bookableSlotsMs } from './slot-engine.ts';
import type {
  FreeSlot,
  HomeCalendar,
  QuotaUsage,
  SchedulingAvailabilityWindow,
  SchedulingBooking,
  SchedulingContact,
  SchedulingHousehold,
} from './types.ts';

/** Options of {@link freeSlotsFor}. */
export interface FreeSlotsForOptions {
  calendar: HomeCalendar;
  household: SchedulingHousehold;
  /** The contact the call would be with; must be approved and one of the household's contacts. */
  contact: SchedulingContact;
  /** Availability windows; only the contact's own are used, read in the contact's zone. */
  windows: readonly SchedulingAvailabilityWindow[];
  /** Existing bookings of the Home; only active ones hold kiosks, children and contacts or count for quota. */
  bookings: readonly SchedulingBooking[];
  /** The current instant (minimum notice and horizon are measured from it). */
  now: Date;
  /**
   * The children who would join, some of the household's. Default: every child of the household (siblings share one
   * call). Throws a RangeError when empty or naming another household's child.
   */
  childIds?: readonly string[];
  /** Calls already counted per child and week. Default: counted from the active `bookings`. */
  quotaUsage?: QuotaUsage;
  /** Only slots starting at or after this instant. Default: no extra limit. */
  from?: Date;
  /** Only slots starting before this instant. Default: no extra limit. */
  to?: Date;
}

/**
 * The slots a household can book with one contact: bookable from `now` (minimum notice, horizon), with at least one
 * free kiosk, wholly inside one of the contact's availability windows (read in the contact's zone, DST-safe), where
 * none of the children and not the contact is already booked, and in a week where no child has used up the weekly
 * quota. Each slot lists its free kiosks. An unapproved contact, or one not of this household, gets no slots.
 */
export function freeSlotsFor(options: FreeSlotsForOptions): FreeSlot[] {
  const { calendar, household, contact, bookings } = options;
  if (!contact.approved || !household.contactIds.includes(contact.id)) return [];
  const clock = new WallClock();
  const slots = bookableSlotsMs(options, clock);
  const first = slots[0];
  const last = slots.at(-1);
  if (!first || !last) return [];
  const available = availabilityIntervalsMs(contact, options.windows, first.start, last.end, clock);
  const children = householdChildren(household, options.childIds);
  const busy = busyIntervals(bookings, children, contact.id);
  const zone = calendar.settings.timeZone;
  const usage = options.quotaUsage ?? countQuotaUsage(bookings, zone);
  const quota = calendar.settings.weeklyQuotaPerChild;
  return slots
    .filter((slot) => {
      if (!isCovered(available, slot.start, slot.end)) return false;
      if (busy.some((b) => overlaps(b.start, b.end, slot.start, slot.end))) return false;
      const week = weekStartOf(new Date(slot.start), zone);
      return [...children].every((c) => quotaUsed(usage, c, week) < quota);
    })
    .map((s): FreeSlot => ({ start: new Date(s.start), end: new Date(s.end), kioskIds: s.kioskIds }));
}

/** Spans of active bookings that involve any of `childIds` or the contact. */
export function busyIntervals(
  bookings: readonly SchedulingBooking[],
  childIds: ReadonlySet<string>,
  contactId: string | null,
): Interval[] {
  return bookings
    .filter(
      (b) =>
        isCountedBooking(b) &&
        ((contactId !== null && b.contactIds.includes(contactId)) || b.childIds.some((c) => childIds.has(c))),
    )
    .map((b) => ({ start: b.start.getTime(), end: b.end.getTime() }));
}

import { isCountedBooking } from '../bookings/booking-statuses.ts';
import { WallClock, weekStartOf } from '../time/zoned-time.ts';
import { householdChildren } from './household-children.ts';
import { overlaps } from './interval.ts';
import { countQuotaUsage, quotaUsed } from './quota.ts';
import { bookingWindow, slotGridMs } from './slot-engine.ts';
import type { HomeCalendar, QuotaUsage, SchedulingBooking, SchedulingContact, SchedulingHousehold } from './types.ts';

/** Why a requested booking cannot be made. */
export type BookingRejection =
  | 'slot-taken'
  | 'outside-hours'
  | 'quota-reached'
  | 'contact-not-approved'
  | 'too-soon'
  | 'beyond-horizon'
  | 'child-busy'
  | 'contact-busy';

/** Result of {@link checkBooking}: an expected outcome, never an exception. */
export type BookingCheck = { ok: true } | { ok: false; reason: BookingRejection };

/** A booking someone asks for. */
export interface BookingRequest {
  kioskId: string;
  start: Date;
  end: Date;
  /**
   * The children who would join, some of the household's. Default: every child of the household (siblings share one
   * call). Throws a RangeError when empty or naming another household's child.
   */
  childIds?: readonly string[];
}

/** Options of {@link checkBooking}. */
export interface CheckBookingOptions {
  calendar: HomeCalendar;
  household: SchedulingHousehold;
  /** The contact the call would be with. */
  contact: SchedulingContact;
  request: BookingRequest;
  /** Existing bookings of the Home; only active ones hold kiosks, children and contacts or count for quota. */
  bookings: readonly SchedulingBooking[];
  /** The current instant. */
  now: Date;
  /** Calls already counted per child and week. Default: counted from the active `bookings`. */
  quotaUsage?: QuotaUsage;
  /** A booking to disregard, when moving it to the requested slot. Default: none. */
  replacingBookingId?: string;
}

/**
 * Validates a requested booking. Checks, in this order: the contact is approved and belongs to the household
 * (`contact-not-approved`), the start respects the minimum notice (`too-soon`) and the horizon (`beyond-horizon`),
 * the span is exactly one slot of the Home's grid (`outside-hours`), the kiosk is enabled and free (`slot-taken`),
 * no child (`child-busy`) and not the contact (`contact-busy`) is booked at an overlapping time, and no child has used
 * up the weekly quota of the slot's week (`quota-reached`). It does not require the slot to be inside the contact's
 * availability windows: staff may book a time agreed by phone.
 * @example checkBooking({ calendar, household, contact, request: { kioskId, start, end }, bookings, now })
 *   // { ok: false, reason: 'too-soon' }
 */
export function checkBooking(options: CheckBookingOptions): BookingCheck {
  const { calendar, household, contact, request, now } = options;
  const settings = calendar.settings;
  const start = request.start.getTime();
  const end = request.end.getTime();
  if (!contact.approved || !household.contactIds.includes(contact.id)) return reject('contact-not-approved');
  const window = bookingWindow(settings, now);
  if (start < window.earliest.getTime()) return reject('too-soon');
  if (start > window.latest.getTime()) return reject('beyond-horizon');
  const grid = slotGridMs(calendar, start, start + 1, new WallClock());
  if (!grid.some((slot) => slot.start === start && slot.end === end)) return reject('outside-hours');

  const bookings = options.bookings.filter((b) => isCountedBooking(b) && b.id !== options.replacingBookingId);
  const overlapping = bookings.filter((b) => overlaps(b.start.getTime(), b.end.getTime(), start, end));
  const kiosk = calendar.kiosks.find((k) => k.id === request.kioskId);
  if (!kiosk?.enabled || overlapping.some((b) => b.kioskId === request.kioskId)) return reject('slot-taken');
  const children = [...householdChildren(household, request.childIds)];
  if (overlapping.some((b) => b.childIds.some((c) => children.includes(c)))) return reject('child-busy');
  if (overlapping.some((b) => b.contactIds.includes(contact.id))) return reject('contact-busy');
  const usage = options.quotaUsage ?? countQuotaUsage(bookings, settings.timeZone);
  const week = weekStartOf(request.start, settings.timeZone);
  if (children.some((c) => quotaUsed(usage, c, week) >= settings.weeklyQuotaPerChild)) return reject('quota-reached');
  return { ok: true };
}

function reject(reason: BookingRejection): BookingCheck {
  return { ok: false, reason };
}

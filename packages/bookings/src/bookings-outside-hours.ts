import { CHANGEABLE_BOOKING_STATUSES, type HomeCalendar, openingIntervals } from '@affection/core';
import type { BookingRecord } from '@affection/db';

/** Opening hours as the slot engine reads them: the zone (in `settings`), weekly rules and dated exceptions. */
export type OpeningHours = Pick<HomeCalendar, 'settings' | 'openingRules' | 'openingExceptions'>;

/** A booking the new hours leave outside, and whether it can still be cancelled. */
export interface BookingOutsideHours {
  booking: BookingRecord;
  /**
   * True when the call has started (or is under way): it is never cancelled for a change of hours and ends as it
   * would have. Otherwise it is `proposed` or `confirmed` and still ahead.
   */
  underWay: boolean;
}

/** Whether `[start, end)` lies wholly inside one of `open` (sorted, merged intervals). */
function liesInside(open: readonly { start: Date; end: Date }[], start: number, end: number): boolean {
  let low = 0;
  let high = open.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = open[middle]!;
    if (span.end.getTime() <= start) low = middle + 1;
    else if (span.start.getTime() > start) high = middle - 1;
    else return span.end.getTime() >= end;
  }
  return false;
}

/**
 * The bookings a change of opening hours leaves outside (pure): of `bookings` (those holding a slot and not ended),
 * each that lay wholly inside the opening hours `before` the change and does not lie wholly inside them `after` it,
 * in time order. A booking that was already outside the old hours (kept at an earlier change, or a call given more
 * minutes past closing) is not counted again.
 *
 * @example bookingsOutsideHours(bookings, oldHours, newHours, now) // → [{ booking, underWay: false }]
 */
export function bookingsOutsideHours(
  bookings: readonly BookingRecord[],
  before: OpeningHours,
  after: OpeningHours,
  now: Date,
): BookingOutsideHours[] {
  if (bookings.length === 0) return [];
  // A loop, not Math.min(...spread): a Home may hold more calls than a call's arguments.
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  for (const b of bookings) {
    fromMs = Math.min(fromMs, b.start.getTime());
    toMs = Math.max(toMs, b.end.getTime());
  }
  const from = new Date(fromMs);
  const to = new Date(toMs);
  const openBefore = openingIntervals(before, from, to);
  const openAfter = openingIntervals(after, from, to);
  const changeable: readonly string[] = CHANGEABLE_BOOKING_STATUSES;
  return bookings
    .filter((b) => b.end.getTime() > now.getTime())
    .filter((b) => liesInside(openBefore, b.start.getTime(), b.end.getTime()))
    .filter((b) => !liesInside(openAfter, b.start.getTime(), b.end.getTime()))
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id))
    .map((booking) => ({
      booking,
      underWay: !changeable.includes(booking.status) || booking.start.getTime() <= now.getTime(),
    }));
}

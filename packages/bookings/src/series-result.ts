import type { BookingRecord } from '@affection/db';
import type { BookingRefusal } from './booking-outcome.ts';

/** An occurrence of a series that could not be booked or moved, and why. */
export interface SkippedOccurrence {
  start: Date;
  /** The occurrence's booking; null for one that could not be booked at all. */
  bookingId: string | null;
  reason: BookingRefusal;
}

/** What a series operation did: the occurrences booked, moved or cancelled, and those it had to skip. */
export interface SeriesResult {
  seriesId: string;
  bookings: BookingRecord[];
  skipped: SkippedOccurrence[];
  /** The Home's zone, to show the occurrences in. */
  timeZone: string;
}

/** Days from `now` to `last` (rounded up): the horizon a series needs to reach its last occurrence. */
export function horizonReaching(now: Date, last: Date): number {
  return Math.ceil((last.getTime() - now.getTime()) / 86_400_000) + 1;
}

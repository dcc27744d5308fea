import {
  AppError,
  addCalendarDays,
  CHANGEABLE_BOOKING_STATUSES,
  instantAt,
  wallClockOf,
  weekStartOf,
} from '@affection/core';
import { type BookingRecord, createSeriesId, type Db, listBookingsOfSeries } from '@affection/db';
import { bookSlot } from './book-slot.ts';
import { calendarFor } from './booking-context.ts';
import type { BookingRefusal } from './booking-refusal.ts';
import { moveBooking } from './move-booking.ts';

const DAY_MS = 86_400_000;

/** An occurrence of a series that could not be booked or moved, and why. */
export interface SkippedOccurrence {
  start: Date;
  bookingId: string | null;
  reason: BookingRefusal;
}

/** What a series action did. */
export interface SeriesResult {
  seriesId: string;
  bookings: BookingRecord[];
  skipped: SkippedOccurrence[];
}

/** A standing weekly booking to materialise. */
export interface BookSeriesRequest {
  homeId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  childIds?: readonly string[];
  kioskId?: string;
  /** The first occurrence; the others follow at the same wall-clock time in the Home's zone, week after week. */
  start: Date;
  weeks: number;
  createdBy: string;
  now: Date;
}

/** Days from `now` to `last` (rounded up), the horizon a series needs to reach its last occurrence. */
function horizonReaching(now: Date, last: Date): number {
  return Math.ceil((last.getTime() - now.getTime()) / DAY_MS) + 1;
}

/**
 * Books the same slot every week for `weeks` weeks (a standing weekly call), each occurrence its own booking with
 * the series id. Each one goes through the same checks as a single booking, except that the series may reach past
 * the booking horizon; the series keeps to one kiosk where it is free. Occurrences that cannot be booked (a holiday,
 * a taken slot) are skipped and reported with their reason.
 */
export async function bookSeries(db: Db, request: BookSeriesRequest): Promise<SeriesResult> {
  const calendar = await calendarFor(db, request.homeId, request.now, request.now);
  const zone = calendar.settings.timeZone;
  const first = wallClockOf(request.start, zone);
  const starts = Array.from({ length: request.weeks }, (_, week) =>
    instantAt(addCalendarDays(first.date, 7 * week), first.time, zone),
  );
  const horizonDays = horizonReaching(request.now, starts.at(-1) ?? request.start);
  const seriesId = createSeriesId();
  const result: SeriesResult = { seriesId, bookings: [], skipped: [] };
  let kioskId: string | undefined;
  for (const start of starts) {
    const outcome = await bookSlot(db, {
      homeId: request.homeId,
      householdId: request.householdId,
      contactId: request.contactId,
      secondContactId: request.secondContactId,
      childIds: request.childIds,
      kioskId: request.kioskId,
      preferredKioskId: kioskId,
      start,
      status: 'confirmed',
      source: 'teacher',
      createdBy: request.createdBy,
      seriesId,
      horizonDays,
      now: request.now,
    });
    if (outcome.ok) {
      result.bookings.push(outcome.booking);
      kioskId ??= outcome.booking.kioskId;
    } else {
      result.skipped.push({ start, bookingId: null, reason: outcome.reason });
    }
  }
  return result;
}

/** A new weekday and time for a series' coming occurrences. */
export interface MoveSeriesRequest {
  homeId: string;
  seriesId: string;
  /** 'HH:MM' in the Home's zone. */
  startTime: string;
  /** Default: each occurrence keeps its weekday. */
  weekday?: number;
  kioskId?: string;
  /** Only occurrences starting at or after this instant. */
  from: Date;
  now: Date;
}

/**
 * Moves every `proposed` or `confirmed` occurrence from `from` on to the given weekday and time of its own week
 * (Home's zone), one by one with the same checks as a single move. Occurrences that cannot move keep their slot
 * and are reported. A 404 for an unknown series; `not-active` when nothing is left to move.
 */
export async function moveSeries(
  db: Db,
  request: MoveSeriesRequest,
): Promise<SeriesResult | { ok: false; reason: BookingRefusal }> {
  const all = await listBookingsOfSeries(db, request.homeId, request.seriesId);
  if (all.length === 0) throw new AppError('not-found', 'No such series in your Home.');
  const occurrences = all.filter(
    (b) =>
      (CHANGEABLE_BOOKING_STATUSES as readonly string[]).includes(b.status) &&
      b.start.getTime() >= request.from.getTime(),
  );
  if (occurrences.length === 0) return { ok: false, reason: 'not-active' };
  const calendar = await calendarFor(db, request.homeId, request.now, request.now);
  const zone = calendar.settings.timeZone;
  const targets = occurrences.map((booking) => {
    const monday = weekStartOf(booking.start, zone);
    const weekday = request.weekday ?? wallClockOf(booking.start, zone).weekday;
    return { booking, start: instantAt(addCalendarDays(monday, weekday - 1), request.startTime, zone) };
  });
  const last = new Date(Math.max(request.now.getTime(), ...targets.map((t) => t.start.getTime())));
  const horizonDays = horizonReaching(request.now, last);
  const result: SeriesResult = { seriesId: request.seriesId, bookings: [], skipped: [] };
  for (const target of targets) {
    const outcome = await moveBooking(db, {
      homeId: request.homeId,
      bookingId: target.booking.id,
      start: target.start,
      kioskId: request.kioskId,
      horizonDays,
      now: request.now,
    });
    if (outcome.ok) result.bookings.push(outcome.booking);
    else result.skipped.push({ start: target.start, bookingId: target.booking.id, reason: outcome.reason });
  }
  return result;
}

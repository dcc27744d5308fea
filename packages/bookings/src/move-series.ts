import {
  AppError,
  addCalendarDays,
  instantAt,
  isChangeableBookingStatus,
  wallClockOf,
  weekStartOf,
} from '@affection/core';
import { listBookingsOfSeries } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import { loadCalendar } from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import { moveBooking } from './move-booking.ts';
import { horizonReaching, type SeriesResult } from './series-result.ts';

/** A new weekday and time for a series' coming occurrences. */
export interface MoveSeriesInput {
  homeId: string;
  seriesId: string;
  /** 'HH:MM' in the Home's zone. */
  startTime: string;
  /** Default: each occurrence keeps its weekday. */
  weekday?: number;
  kioskId?: string;
  /** Only occurrences starting at or after this instant. */
  from: Date;
}

/**
 * Moves every `proposed` or `confirmed` occurrence from `from` on to the given weekday and time of its own week
 * (Home's zone), one by one through {@link moveBooking} (each reported as `reschedule`). Occurrences that cannot move
 * keep their slot and are reported. An unknown series is a `not-found` `AppError`; `not-active` when nothing is left
 * to move.
 */
export async function moveSeries(
  deps: BookingDeps,
  actor: BookingActor,
  input: MoveSeriesInput,
): Promise<SeriesResult | { ok: false; reason: 'not-active' }> {
  const now = deps.now();
  const all = await listBookingsOfSeries(deps.db, input.homeId, input.seriesId);
  if (all.length === 0) throw new AppError('not-found', 'No such series in your Home.');
  const occurrences = all.filter(
    (b) => isChangeableBookingStatus(b.status) && b.start.getTime() >= input.from.getTime(),
  );
  if (occurrences.length === 0) return { ok: false, reason: 'not-active' };
  const calendar = await loadCalendar(deps.db, input.homeId, now, now);
  const zone = calendar.settings.timeZone;
  const targets = occurrences.map((booking) => {
    const monday = weekStartOf(booking.start, zone);
    const weekday = input.weekday ?? wallClockOf(booking.start, zone).weekday;
    return { booking, start: instantAt(addCalendarDays(monday, weekday - 1), input.startTime, zone) };
  });
  const last = new Date(Math.max(now.getTime(), ...targets.map((t) => t.start.getTime())));
  const horizonDays = horizonReaching(now, last);
  const result: SeriesResult = { seriesId: input.seriesId, bookings: [], skipped: [], timeZone: zone };
  for (const target of targets) {
    const outcome = await moveBooking(deps, actor, {
      homeId: input.homeId,
      bookingId: target.booking.id,
      start: target.start,
      kioskId: input.kioskId,
      horizonDays,
    });
    if (outcome.ok) result.bookings.push(outcome.booking);
    else result.skipped.push({ start: target.start, bookingId: target.booking.id, reason: outcome.reason });
  }
  return result;
}

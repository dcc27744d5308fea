import { addCalendarDays, instantAt, wallClockOf } from '@affection/core';
import { createSeriesId } from '@affection/db';
import { bookSlot } from './book-slot.ts';
import type { BookingActor } from './booking-actor.ts';
import { loadCalendar } from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import { horizonReaching, type SeriesResult } from './series-result.ts';

/** A standing weekly booking to materialise. */
export interface BookSeriesInput {
  homeId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  childIds?: readonly string[];
  kioskId?: string;
  /** The first occurrence; the others follow at the same wall-clock time in the Home's zone, week after week. */
  start: Date;
  weeks: number;
  /** The staff member booking it. */
  createdBy: string;
}

/**
 * Books the same slot every week for `weeks` weeks (a standing weekly call), each occurrence its own booking with
 * the series id, through {@link bookSlot} (each reported as `create`). Each one goes through the same checks as a
 * single booking, except that the series may reach past the booking horizon; the series keeps to one kiosk where
 * it is free. Occurrences that cannot be booked (a holiday, a taken slot) are skipped with their reason.
 */
export async function bookSeries(
  deps: BookingDeps,
  actor: BookingActor,
  input: BookSeriesInput,
): Promise<SeriesResult> {
  const now = deps.now();
  const calendar = await loadCalendar(deps.db, input.homeId, now, now);
  const zone = calendar.settings.timeZone;
  const first = wallClockOf(input.start, zone);
  const starts = Array.from({ length: input.weeks }, (_, week) =>
    instantAt(addCalendarDays(first.date, 7 * week), first.time, zone),
  );
  const horizonDays = horizonReaching(now, starts.at(-1) ?? input.start);
  const seriesId = createSeriesId();
  const result: SeriesResult = { seriesId, bookings: [], skipped: [], timeZone: zone };
  let kioskId: string | undefined;
  for (const start of starts) {
    const outcome = await bookSlot(deps, actor, {
      homeId: input.homeId,
      householdId: input.householdId,
      contactId: input.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
      kioskId: input.kioskId,
      preferredKioskId: kioskId,
      start,
      status: 'confirmed',
      source: 'teacher',
      createdBy: input.createdBy,
      seriesId,
      horizonDays,
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

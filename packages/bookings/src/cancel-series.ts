import { AppError } from '@affection/core';
import { getHome, listBookingsOfSeries, cancelSeries as writeSeriesCancellation } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { SeriesResult } from './series-result.ts';

/** A series whose coming occurrences to cancel. */
export interface CancelSeriesInput {
  homeId: string;
  seriesId: string;
  /** Why (kept on each booking; never logged or audited). */
  reason: string;
  /** Only occurrences starting at or after this instant. */
  from: Date;
}

/**
 * Cancels every `proposed` or `confirmed` occurrence of a series starting from `from`, in one statement; each is
 * reported as `cancel`. An unknown series is a `not-found` `AppError`; `not-active` when none was left to cancel.
 */
export async function cancelSeries(
  deps: BookingDeps,
  actor: BookingActor,
  input: CancelSeriesInput,
): Promise<SeriesResult | { ok: false; reason: 'not-active' }> {
  const { db } = deps;
  const cancelled = await writeSeriesCancellation(db, input.homeId, input.seriesId, {
    reason: input.reason,
    from: input.from,
    now: deps.now(),
  });
  if (cancelled.length === 0) {
    const any = await listBookingsOfSeries(db, input.homeId, input.seriesId);
    if (any.length === 0) throw new AppError('not-found', 'No such series in your Home.');
    return { ok: false, reason: 'not-active' };
  }
  for (const booking of cancelled) await deps.events.changed(actor, 'cancel', booking);
  const home = await getHome(db, input.homeId);
  return { seriesId: input.seriesId, bookings: cancelled, skipped: [], timeZone: home?.timeZone ?? 'UTC' };
}

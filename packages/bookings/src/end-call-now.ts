import { AppError, isChangeableBookingStatus } from '@affection/core';
import { getBooking, rescheduleBooking } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import { type LiveCallOutcome, refusalOfStatus } from './live-call-outcome.ts';

/** How long before its start a call counts as under way (its room opens then). */
export const CALL_ROOM_OPENS_BEFORE_MS = 5 * 60_000;

/** A call under way to end now. */
export interface EndCallNowInput {
  homeId: string;
  bookingId: string;
  /** Refuse (`not-live`) if the booking's version moved on. */
  expectedVersion?: number;
}

/**
 * Ends a call under way now: its end moves to this second (its start, plus one second, for a call ended in the
 * minutes its room is open before the start), so its lifecycle is planned again: the room closes and the outcome is
 * decided as for any call at its end, from what the call log recorded. Only from the room's opening to the call's
 * end; the kiosk is free at once for the next call. Reported as `end-now`.
 */
export async function endCallNow(
  deps: BookingDeps,
  actor: BookingActor,
  input: EndCallNowInput,
): Promise<LiveCallOutcome> {
  const { db } = deps;
  const now = deps.now();
  const booking = await getBooking(db, input.homeId, input.bookingId);
  if (!booking) throw new AppError('not-found', 'No such booking in your Home.');
  if (!isChangeableBookingStatus(booking.status)) return { ok: false, reason: refusalOfStatus(booking.status) };
  if (input.expectedVersion !== undefined && input.expectedVersion !== booking.version) {
    return { ok: false, reason: 'not-live' };
  }
  const startMs = booking.start.getTime();
  if (now.getTime() < startMs - CALL_ROOM_OPENS_BEFORE_MS || now.getTime() >= booking.end.getTime()) {
    return { ok: false, reason: 'not-live' };
  }
  const endMs = Math.max(Math.ceil(now.getTime() / 1000) * 1000, startMs + 1000);
  const result = await rescheduleBooking(db, input.homeId, booking.id, {
    kioskId: booking.kioskId,
    start: booking.start,
    end: new Date(Math.min(endMs, booking.end.getTime())),
    now,
    expectedVersion: booking.version,
  });
  if (!result.ok) return { ok: false, reason: 'not-live' };
  await deps.events.changed(actor, 'end-now', result.booking);
  return { ok: true, booking: result.booking };
}

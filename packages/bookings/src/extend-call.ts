import { AppError, isChangeableBookingStatus } from '@affection/core';
import { getBooking, rescheduleBooking } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import { type LiveCallOutcome, refusalOfStatus } from './live-call-outcome.ts';

/** Minutes a teacher gives a call under way by default. */
export const EXTEND_CALL_MINUTES = 5;

/** A call under way to make longer. */
export interface ExtendCallInput {
  homeId: string;
  bookingId: string;
  /** Default {@link EXTEND_CALL_MINUTES}. */
  minutes?: number;
  /** Refuse (`not-live`) if the booking's version moved on (the board showed an older state). */
  expectedVersion?: number;
}

/**
 * Gives a call under way more minutes: its end moves later on the same kiosk, so its lifecycle is planned again
 * (the end warning and the room's close move with it). Only while the call runs (from its start to its end) and
 * only when the kiosk, the children and the contact are free after it — the database's exclusion constraints
 * decide that, so two teachers pressing at once cannot both win. Reported as `extend`.
 */
export async function extendCall(
  deps: BookingDeps,
  actor: BookingActor,
  input: ExtendCallInput,
): Promise<LiveCallOutcome> {
  const { db } = deps;
  const now = deps.now();
  const booking = await getBooking(db, input.homeId, input.bookingId);
  if (!booking) throw new AppError('not-found', 'No such booking in your Home.');
  if (!isChangeableBookingStatus(booking.status)) return { ok: false, reason: refusalOfStatus(booking.status) };
  if (input.expectedVersion !== undefined && input.expectedVersion !== booking.version) {
    return { ok: false, reason: 'not-live' };
  }
  if (now.getTime() < booking.start.getTime() || now.getTime() >= booking.end.getTime()) {
    return { ok: false, reason: 'not-live' };
  }
  const minutes = input.minutes ?? EXTEND_CALL_MINUTES;
  const result = await rescheduleBooking(db, input.homeId, booking.id, {
    kioskId: booking.kioskId,
    start: booking.start,
    end: new Date(booking.end.getTime() + minutes * 60_000),
    now,
    expectedVersion: booking.version,
  });
  if (!result.ok) {
    return {
      ok: false,
      reason: result.reason === 'not-active' || result.reason === 'not-found' ? 'not-live' : 'kiosk-busy',
    };
  }
  await deps.events.changed(actor, 'extend', result.booking);
  return { ok: true, booking: result.booking };
}

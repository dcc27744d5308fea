import { AppError } from '@affection/core';
import { getBooking, getHome, cancelBooking as writeCancellation } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { BookingOutcome } from './booking-outcome.ts';

/** A booking to cancel. */
export interface CancelBookingInput {
  homeId: string;
  bookingId: string;
  /** Why (kept on the booking, shown to staff; never logged or audited). */
  reason: string;
  /** Refuse (`not-active`) if the booking's version moved on. */
  expectedVersion?: number;
  /** Only a booking of this household (a family's own); another household's is a `not-found`. */
  householdId?: string;
  /** Only a booking that has not started yet (a family may not cancel a call under way). */
  beforeStart?: boolean;
}

/**
 * Cancels a `proposed` or `confirmed` booking with a reason; its slot is free at once. `not-active` when it already
 * started, ended or was cancelled (or its version moved on); a booking not in the Home (or not of `householdId`) is
 * a `not-found` `AppError`. Reported as `cancel`.
 */
export async function cancelBooking(
  deps: BookingDeps,
  actor: BookingActor,
  input: CancelBookingInput,
): Promise<BookingOutcome> {
  const { db } = deps;
  const now = deps.now();
  if (input.householdId || input.beforeStart) {
    const booking = await getBooking(db, input.homeId, input.bookingId);
    if (!booking || (input.householdId && booking.householdId !== input.householdId)) {
      throw new AppError('not-found', 'No such booking in your Home.');
    }
    if (input.beforeStart && booking.start.getTime() <= now.getTime()) return { ok: false, reason: 'not-active' };
  }
  const result = await writeCancellation(db, input.homeId, input.bookingId, {
    reason: input.reason,
    now,
    expectedVersion: input.expectedVersion,
  });
  if (!result.ok) {
    if (result.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
    return { ok: false, reason: 'not-active' };
  }
  await deps.events.changed(actor, 'cancel', result.booking);
  const home = await getHome(db, input.homeId);
  return { ok: true, booking: result.booking, timeZone: home?.timeZone ?? 'UTC' };
}

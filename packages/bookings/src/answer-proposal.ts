import { AppError } from '@affection/core';
import { type BookingRecord, getBooking, setBookingStatus } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';

/** A parent's answer to a proposed call. */
export interface AnswerProposalInput {
  homeId: string;
  bookingId: string;
  answer: 'confirm' | 'decline';
  /** Refuse (`not-active`) if the proposal changed since the parent was asked. */
  expectedVersion?: number;
  /** Only a proposal of this household (a family answering on its page); another household's is a `not-found`. */
  householdId?: string;
}

/**
 * Confirms a `proposed` booking (it becomes `confirmed` and gets its lifecycle: confirmation, reminders, room) or
 * declines it (`declined`: the slot is free again). `not-active` when it is no longer a proposal at that version; a
 * booking not in the Home is a `not-found` `AppError`. Reported as `confirm` or `decline`.
 */
export async function answerProposal(
  deps: BookingDeps,
  actor: BookingActor,
  input: AnswerProposalInput,
): Promise<{ ok: true; booking: BookingRecord } | { ok: false; reason: 'not-active' }> {
  if (input.householdId) {
    const booking = await getBooking(deps.db, input.homeId, input.bookingId);
    if (!booking || booking.householdId !== input.householdId) {
      throw new AppError('not-found', 'No such booking in your Home.');
    }
  }
  const changed = await setBookingStatus(deps.db, input.homeId, input.bookingId, {
    status: input.answer === 'confirm' ? 'confirmed' : 'declined',
    now: deps.now(),
    expectedVersion: input.expectedVersion,
  });
  if (!changed.ok) {
    if (changed.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
    return { ok: false, reason: 'not-active' };
  }
  await deps.events.changed(actor, input.answer, changed.booking);
  return changed;
}

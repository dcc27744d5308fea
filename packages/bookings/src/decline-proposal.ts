import { AppError } from '@affection/core';
import { type BookingRecord, setBookingStatus } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';

/** A teacher turning down one of the weekly scheduler's proposals. */
export interface DeclineProposalInput {
  homeId: string;
  bookingId: string;
  /** Why, kept on the booking (`cancelReason`); never logged nor audited. */
  reason: string;
  /** Refuse (`not-active`) if the proposal changed since the teacher saw it. */
  expectedVersion?: number;
}

/**
 * Declines a `proposed` booking with a reason: it becomes `declined` (the slot, the children and the contact are free
 * again) and the reason is kept on the booking. `not-active` when it is no longer a proposal at that version; a
 * booking not in the Home is a `not-found` `AppError`. Reported as `decline`.
 */
export async function declineProposal(
  deps: BookingDeps,
  actor: BookingActor,
  input: DeclineProposalInput,
): Promise<{ ok: true; booking: BookingRecord } | { ok: false; reason: 'not-active' }> {
  const changed = await setBookingStatus(deps.db, input.homeId, input.bookingId, {
    status: 'declined',
    now: deps.now(),
    cancelReason: input.reason,
    expectedVersion: input.expectedVersion,
  });
  if (!changed.ok) {
    if (changed.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
    return { ok: false, reason: 'not-active' };
  }
  await deps.events.changed(actor, 'decline', changed.booking);
  return changed;
}

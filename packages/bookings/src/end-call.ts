import { type BookingRecord, endCallBooking } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';

/** A call whose room has closed, and what it came to. */
export interface EndCallInput {
  homeId: string;
  bookingId: string;
  /** `completed` when the call took place, `missed` for any other outcome. */
  status: 'completed' | 'missed';
  /** The version the call was planned at: a booking that moved on meanwhile is left as it is. */
  expectedVersion: number;
}

/**
 * Ends a booking whose call is over (`completed` or `missed`, version bumped) — from any status that still holds its
 * slot, a proposal called from the kiosk too. Null when the booking moved on meanwhile. Reported as `complete` or
 * `miss` (its lifecycle then has nothing left to plan: what was pending of older versions is cancelled).
 */
export async function endCall(
  deps: BookingDeps,
  actor: BookingActor,
  input: EndCallInput,
): Promise<BookingRecord | null> {
  const ended = await endCallBooking(deps.db, input.homeId, input.bookingId, {
    status: input.status,
    expectedVersion: input.expectedVersion,
    now: deps.now(),
  });
  if (!ended) return null;
  await deps.events.changed(actor, input.status === 'completed' ? 'complete' : 'miss', ended);
  return ended;
}

import { AppError, isChangeableBookingStatus } from '@affection/core';
import { endCallBooking, getBooking, recordAudit } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import { type LiveCallOutcome, refusalOfStatus } from './live-call-outcome.ts';

/** The audit action that keeps how long a call done by phone lasted (the booking's own change is `complete-by-phone`). */
export const DONE_BY_PHONE_AUDIT_ACTION = 'call.done-by-phone';

/** A call a teacher made by an ordinary phone instead. */
export interface CompleteByPhoneInput {
  homeId: string;
  bookingId: string;
  /** Minutes talked, as the teacher says (0–120). */
  minutes: number;
  /** Refuse (`not-live`) if the booking's version moved on. */
  expectedVersion?: number;
}

/**
 * Marks a call as done by an ordinary phone (the parent could not join; the teacher rang them from the Home's
 * phone): the booking is `completed` (so the child's "no call for N days" counts it) and an audit event
 * `call.done-by-phone` keeps who did it and the minutes — never a number or a name. Only for a booking that still
 * holds its slot (before or during the call; one the lifecycle already ended is `already-ended`). Its lifecycle has
 * nothing left to do. Reported as `complete-by-phone`.
 */
export async function completeByPhone(
  deps: BookingDeps,
  actor: BookingActor,
  input: CompleteByPhoneInput,
): Promise<LiveCallOutcome> {
  const { db } = deps;
  const now = deps.now();
  const booking = await getBooking(db, input.homeId, input.bookingId);
  if (!booking) throw new AppError('not-found', 'No such booking in your Home.');
  if (!isChangeableBookingStatus(booking.status)) return { ok: false, reason: refusalOfStatus(booking.status) };
  if (input.expectedVersion !== undefined && input.expectedVersion !== booking.version) {
    return { ok: false, reason: 'not-live' };
  }
  const ended = await endCallBooking(db, input.homeId, booking.id, {
    status: 'completed',
    expectedVersion: booking.version,
    now,
  });
  if (!ended) return { ok: false, reason: 'not-live' };
  await recordAudit(db, {
    homeId: booking.homeId,
    actorKind: actor.kind,
    actorId: actor.kind === 'staff' ? actor.staffId : actor.kind === 'family' ? actor.contactId : null,
    action: DONE_BY_PHONE_AUDIT_ACTION,
    subjectKind: 'booking',
    subjectId: booking.id,
    details: { minutes: input.minutes, version: ended.version },
    at: now,
  });
  await deps.events.changed(actor, 'complete-by-phone', ended);
  return { ok: true, booking: ended };
}

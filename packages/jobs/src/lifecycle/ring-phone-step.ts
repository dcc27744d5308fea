import { canReachContact, participantIdentity, type RingPhoneResult } from '@affection/core';
import { getContact } from '@affection/db';
import { contactSlotOf } from './contact-slot.ts';
import type { BookingStepContext, BookingStepHandler, BookingStepOutcome } from './step-handler.ts';

/** How long a phone rings before we give up, at most (less when the slot ends sooner). */
export const RINGING_TIMEOUT_SECONDS = 45;

/** Below this much slot left, ringing is pointless. */
const MIN_CALL_SECONDS = 10;

/** A ring's result as the step's outcome: every answer is a recorded word; only a passing failure is retried. */
export function stepOutcomeOfRing(result: RingPhoneResult): BookingStepOutcome {
  if (result.outcome === 'answered') return { kind: 'done', outcome: 'answered' };
  if (result.outcome === 'failed') {
    return result.isRetryable
      ? { kind: 'retry', reason: `ringing failed: ${result.message}` }
      : { kind: 'failed', reason: `ringing failed: ${result.message}` };
  }
  // busy, no-answer, declined, not-permitted, unavailable: what happened, recorded; ringing again is not ours to do.
  return { kind: 'done', outcome: result.outcome, note: result.message };
}

/** Which of the booking's contacts a ring step is for: kinds ending in `-2` ring a three-way call's second contact. */
function ringedContactId(context: BookingStepContext): string | null {
  return contactSlotOf(context.step.kind) === 'second' ? context.booking.secondContactId : context.booking.contactId;
}

/** Rings the step's contact (the first, or the second for a `-2` step) into its room for the slot's remainder. */
async function ringContact(context: BookingStepContext): Promise<BookingStepOutcome> {
  const { booking, db, phoneBridge, now } = context;
  if (!phoneBridge) return { kind: 'done', outcome: 'unavailable', note: 'phone calling (SIP) is not configured' };
  const contactId = ringedContactId(context);
  if (!contactId) return { kind: 'done', outcome: 'not-permitted', note: 'the call has no second contact now' };
  const contact = await getContact(db, booking.homeId, contactId);
  if (!contact || !canReachContact(contact, 'call')) {
    return { kind: 'done', outcome: 'not-permitted', note: 'the contact may not be called' };
  }
  const leftSeconds = Math.floor((booking.end.getTime() - now().getTime()) / 1000);
  if (leftSeconds < MIN_CALL_SECONDS) return { kind: 'done', outcome: 'too-late' };
  const result = await phoneBridge.ring({
    bookingId: booking.id,
    contactId: contact.id,
    to: contact.phone,
    ringingTimeoutSeconds: Math.min(RINGING_TIMEOUT_SECONDS, leftSeconds),
    maxDurationSeconds: leftSeconds,
  });
  return stepOutcomeOfRing(result);
}

/**
 * `ring-phone` (and `ring-phone-2` for a three-way call's second contact): at the start, rings a phone-channel contact and bridges the call into the room, for at most the
 * slot's remainder. The outcome is recorded on the step (`answered`, `busy`, `no-answer`, `declined`,
 * `not-permitted`, `unavailable` when phone calling is not set up); only a passing failure of the provider is
 * retried.
 */
export const ringPhoneStep: BookingStepHandler = (context) => ringContact(context);

/**
 * `fallback-ring` (and `fallback-ring-2` for a three-way call's second contact): two minutes into the call (a
 * "call now" call: the Home's `parent_join_wait_minutes`), rings a video contact who may be rung — unless they are in the room
 * (`parent:<contact>`, or already on the phone: `not-needed`). Outcomes as {@link ringPhoneStep}.
 */
export const fallbackRingStep: BookingStepHandler = async (context) => {
  const { booking, callRooms, phoneBridge } = context;
  if (!phoneBridge) return { kind: 'done', outcome: 'unavailable', note: 'phone calling (SIP) is not configured' };
  const contactId = ringedContactId(context);
  if (callRooms && contactId) {
    const present = new Set((await callRooms.listParticipants(booking.id)).map((p) => p.identity));
    if (
      present.has(participantIdentity({ role: 'parent', contactId })) ||
      present.has(participantIdentity({ role: 'phone', contactId }))
    ) {
      return { kind: 'done', outcome: 'not-needed', note: 'the contact is in the room' };
    }
  }
  return ringContact(context);
};

import { canReachContact } from '@affection/core';
import { insertBookingSteps, listBookingSteps, recordAudit } from '@affection/db';
import type { BookingStepKind } from '@affection/jobs';
import type { Context } from 'hono';
import type { CallerBooking } from './caller-bookings.ts';
import type { TwilioWebhookEnv } from './verify-twilio-request.ts';

const RING_BACK: BookingStepKind = 'ring-back';

/** Time to hear the goodbye and hang up before the phone rings: a line still in use would answer busy. */
export const RING_BACK_DELAY_MS = 20_000;

/**
 * Instead of bridging a caller we cannot trust (no PIN, or too many wrong ones), asks the call's lifecycle to ring the
 * contact's **number on file** into the room (the `ring-back` step, run by the lifecycle worker like the fallback
 * ring), once per booking version: a spoofed caller ID can make the real parent's phone ring once, and reaches no
 * one else. True when a ring is on its way (asked now, or earlier and not run yet); false when none can be offered:
 * the caller is not the booking's own contact (the step rings that one), does not take phone calls (video without
 * phone fallback), may not be reached, the booking has no plan yet, or a ring-back has run already.
 */
export async function requestRingBack(
  c: Context<TwilioWebhookEnv>,
  { booking, contact }: CallerBooking,
  now: Date,
): Promise<boolean> {
  if (contact.id !== booking.contactId || !canReachContact(contact, 'call')) return false;
  if (contact.channel !== 'phone' && !contact.phoneFallback) return false;
  const { database, onBookingChanged } = c.get('services');
  const db = database.db;
  const steps = (await listBookingSteps(db, booking.id)).filter((step) => step.bookingVersion === booking.version);
  // A version without steps is planned by the lifecycle soon; a lone step row now would stand in for its plan.
  if (steps.length === 0) return false;
  const earlier = steps.find((step) => step.kind === RING_BACK);
  if (earlier) return earlier.state === 'pending' || earlier.state === 'running';
  const step = { bookingId: booking.id, kind: RING_BACK, bookingVersion: booking.version };
  const inserted = await insertBookingSteps(
    db,
    [{ ...step, dueAt: new Date(now.getTime() + RING_BACK_DELAY_MS) }],
    now,
  );
  if (inserted.length > 0) {
    await recordAudit(db, {
      homeId: booking.homeId,
      actorKind: 'system',
      actorId: null,
      action: 'call.ring-back',
      subjectKind: 'booking',
      subjectId: booking.id,
      details: { via: 'voice', contactId: contact.id },
      at: now,
    });
    // Enqueues the new step (the plan's pending steps); the lifecycle reconciler would within a minute anyway.
    await onBookingChanged?.(booking.id);
  }
  // When a request at the same moment stored it first, its ring is the one on its way.
  return true;
}

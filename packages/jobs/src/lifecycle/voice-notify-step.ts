import {
  ALIYUN_SEND_CAPS,
  canReachContact,
  longestCapWindowMs,
  NO_SEND_CAPS,
  nextSendTime,
  participantIdentity,
  type VoiceNotificationPurpose,
} from '@affection/core';
import {
  claimVoiceNotification,
  failVoiceNotification,
  getContact,
  insertVoiceNotificationOnce,
  loadBookingPlanContext,
  markVoiceNotificationPlaced,
  releaseVoiceNotification,
} from '@affection/db';
import { contactSlotOf } from './contact-slot.ts';
import type { BookingStepHandler } from './step-handler.ts';

/** The purpose of the lifecycle's voice notification: the child waits, the parent has not come. */
export const PARENT_AWAITED: VoiceNotificationPurpose = 'parent-awaited';

/** Below this much call left, a notification is pointless. */
const MIN_CALL_LEFT_MS = 60_000;

/** The TTS template's variables are short: Alibaba Cloud takes at most 20 characters a variable. */
const MAX_VARIABLE_LENGTH = 20;

/** `HH:mm` of an instant in a zone, as the template speaks it. */
function clockTimeIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    at,
  );
}

/**
 * `voice-notify` (and `voice-notify-2` for a three-way call's second contact): at the parents' wait after the start
 * (when `fallback-ring` would ring), a text-to-speech call to a contact who has not joined — "孩子在学校等您，通话时间
 * 12:15…" — with the option to press 1 for "coming now" (the report's key shows on the board). Nothing is placed:
 * - without a voice notifier (`unavailable`), to a contact who may not be called (`not-permitted`), to one in the
 *   room (`not-needed`), to a number the provider does not call (`not-covered`: Alibaba Cloud calls mainland numbers
 *   only), or to one rung into the room by phone instead (`rung-instead`: SIP is configured and the contact takes
 *   phone calls);
 * - twice for one call and contact: the `voice_notifications` row is unique per booking, contact and purpose
 *   (`already`: another worker or an earlier version has it);
 * - past the provider's per-number limits: the step runs again when the call may go (a `retry` at that time), or,
 *   when that is after the call, records `capped`.
 * An ambiguous failure (a timeout) is not placed again: the row stays `placed` for the report to settle.
 */
export const voiceNotifyStep: BookingStepHandler = async (context) => {
  const { booking, db, callRooms, phoneBridge, voiceNotifier, now, step } = context;
  if (!voiceNotifier) return { kind: 'done', outcome: 'unavailable', note: 'voice notifications are not configured' };
  const contactId = contactSlotOf(step.kind) === 'second' ? booking.secondContactId : booking.contactId;
  if (!contactId) return { kind: 'done', outcome: 'not-permitted', note: 'the call has no second contact now' };
  const contact = await getContact(db, booking.homeId, contactId);
  if (!contact || !canReachContact(contact, 'call')) {
    return { kind: 'done', outcome: 'not-permitted', note: 'the contact may not be called' };
  }
  if (callRooms) {
    const present = new Set((await callRooms.listParticipants(booking.id)).map((p) => p.identity));
    if (
      present.has(participantIdentity({ role: 'parent', contactId })) ||
      present.has(participantIdentity({ role: 'phone', contactId }))
    ) {
      return { kind: 'done', outcome: 'not-needed', note: 'the contact is in the room' };
    }
  }
  if (!voiceNotifier.canCall(contact.phone)) {
    return {
      kind: 'done',
      outcome: 'not-covered',
      note: `${voiceNotifier.provider} does not call this number's country`,
    };
  }
  if (phoneBridge && (contact.channel === 'phone' || contact.phoneFallback)) {
    return { kind: 'done', outcome: 'rung-instead', note: 'the contact is rung into the room by phone' };
  }
  const at = now();
  if (booking.end.getTime() - at.getTime() < MIN_CALL_LEFT_MS) return { kind: 'done', outcome: 'too-late' };

  const { notification } = await insertVoiceNotificationOnce(db, {
    homeId: booking.homeId,
    bookingId: booking.id,
    contactId,
    purpose: PARENT_AWAITED,
    toPhone: contact.phone,
    provider: voiceNotifier.provider,
    now: at,
  });
  if (notification.status !== 'pending') return { kind: 'done', outcome: 'already', note: notification.status };

  const caps = voiceNotifier.provider === 'aliyun' ? ALIYUN_SEND_CAPS : NO_SEND_CAPS;
  const claim = await claimVoiceNotification(db, notification.id, {
    now: at,
    since: new Date(at.getTime() - longestCapWindowMs(caps)),
    decide: (placedAt) =>
      nextSendTime(
        caps,
        placedAt.map((time) => ({ at: time, sendClass: 'voice-notification' as const })),
        { sendClass: 'voice-notification', notBefore: at },
      ).at,
  });
  if (!claim.ok && claim.reason === 'not-pending') return { kind: 'done', outcome: 'already' };
  if (!claim.ok) {
    const waitMs = claim.notBefore.getTime() - at.getTime();
    if (claim.notBefore.getTime() > booking.end.getTime() - MIN_CALL_LEFT_MS) {
      return { kind: 'done', outcome: 'capped', note: 'the per-number limit holds it past the call' };
    }
    return { kind: 'retry', reason: 'the per-number limit of voice calls', retryAfterMs: waitMs };
  }

  const planContext = await loadBookingPlanContext(db, booking.id);
  const name = (planContext?.childNames ?? []).join('、').slice(0, MAX_VARIABLE_LENGTH) || '孩子';
  const result = await voiceNotifier.place({
    to: contact.phone,
    notificationId: notification.id,
    purpose: PARENT_AWAITED,
    variables: { name, time: clockTimeIn(booking.start, contact.timeZone) },
  });
  if (result.ok) {
    await markVoiceNotificationPlaced(db, notification.id, { providerCallId: result.callId });
    return { kind: 'done', outcome: 'placed' };
  }
  const { failure } = result;
  if (failure.isAmbiguous) {
    await failVoiceNotification(db, notification.id, failure.message, { keepPlaced: true });
    return { kind: 'done', outcome: 'placed-unconfirmed', note: failure.reason };
  }
  if (failure.kind === 'retryable') {
    await releaseVoiceNotification(db, notification.id, failure.message);
    return { kind: 'retry', reason: `voice notification: ${failure.reason}` };
  }
  await failVoiceNotification(db, notification.id, failure.message);
  return { kind: 'done', outcome: 'not-placed', note: failure.reason };
};

import {
  type BookingActor,
  type BookingDeps,
  endCall,
  offerNewTime,
  withBookingTransaction,
} from '@affection/bookings';
import { canReachContact, isContactApproved } from '@affection/core';
import {
  type BookingRecord,
  type CallOutcome,
  type Db,
  errorForLog,
  getChild,
  getContact,
  getHome,
  type SmsMessageRecord,
  setCallOutcome,
} from '@affection/db';
import { updateCallLog } from '../call-log/update-call-log.ts';
import type { BookingStepHandler } from '../lifecycle/step-handler.ts';
import { storeRenderedSms } from '../repeatable/store-rendered-sms.ts';
import { enqueueSms } from '../send-sms.ts';
import { decideCallOutcome } from './decide-call-outcome.ts';

/** Who ends calls and offers new times, in the audit trail. */
const CALL_END: BookingActor = { kind: 'system', job: 'call-end' };

/** The dedupe key of the one "missed call, here is a new time" SMS of a booking, by the version it was missed at. */
export function missedCallSmsKey(bookingId: string, missedVersion: number): string {
  return `${bookingId}-missed-v${missedVersion}`;
}

/** The children's given names, as their parents call them (erased children are left out). */
async function childNamesOf(db: Db, booking: BookingRecord): Promise<string[]> {
  const found = await Promise.all(booking.childIds.map((id) => getChild(db, booking.homeId, id)));
  return found.flatMap((child) => (child && child.erasedAt === null ? [child.givenName] : []));
}

/** What the step did about the parent who missed the call. */
type MissedFollowUp =
  | { kind: 'none' }
  | { kind: 'offered'; offerId: string; sms: SmsMessageRecord | null }
  | { kind: 'not-offered'; reason: string };

/**
 * Holds a new slot for a primary contact who did not come (the booking layer's `offerNewTime`), and stores (not yet
 * enqueues) the one SMS that offers it — unless they cannot get SMS. Inside the caller's transaction (`deps`).
 */
async function followUpMissedCall(
  deps: BookingDeps,
  booking: BookingRecord,
  missedVersion: number,
): Promise<MissedFollowUp> {
  const tx = deps.db;
  const now = deps.now();
  const contact = await getContact(tx, booking.homeId, booking.contactId);
  if (!contact || !isContactApproved(contact)) return { kind: 'not-offered', reason: 'contact-not-approved' };
  const offer = await offerNewTime(deps, CALL_END, booking);
  if (!offer.ok) return { kind: 'not-offered', reason: offer.reason };
  if (!canReachContact(contact, 'sms')) return { kind: 'offered', offerId: offer.booking.id, sms: null };
  const home = await getHome(tx, booking.homeId);
  if (!home) return { kind: 'offered', offerId: offer.booking.id, sms: null };
  const { message } = await storeRenderedSms(tx, {
    homeId: booking.homeId,
    home: { name: home.name, timeZone: home.timeZone },
    to: { phone: contact.phone, language: contact.language, timeZone: contact.timeZone },
    message: {
      kind: 'call-missed-offer-new-time',
      childNames: await childNamesOf(tx, booking),
      missedStart: booking.start,
      offeredStart: offer.booking.start,
    },
    dedupeKey: missedCallSmsKey(booking.id, missedVersion),
    bookingId: booking.id,
    contactId: contact.id,
    now,
  });
  return { kind: 'offered', offerId: offer.booking.id, sms: message };
}

/**
 * The `decide-outcome` step, after the room closed: rebuilds the call log from every fact (see `updateCallLog`),
 * decides the outcome ({@link decideCallOutcome}) and, in ONE transaction, records it on the log, ends the booking
 * (the booking layer's `endCall`: `completed`, or `missed` for any other outcome; version bumped) and, when the
 * booking's contact did not come to a call that did not happen, holds a new slot for them (`offerNewTime`) and stores
 * one `call-missed-offer-new-time` SMS (dedupe key `<booking>-missed-v<missed version>`; none to a number that opted
 * out). Both booking changes are audited and their lifecycles planned once the transaction commits
 * (`withBookingTransaction`). The SMS job is enqueued after the commit; should that fail, the SMS reconciler finds the stored message. A booking that moved on meanwhile
 * (its version changed) is left as it is.
 */
export const decideOutcomeStep: BookingStepHandler = async ({
  db,
  booking,
  step,
  smsQueue,
  now,
  logger,
  bookingEvents,
}) => {
  const updated = await updateCallLog(db, booking.id, { now: now() });
  if (!updated) return { kind: 'failed', reason: 'booking-not-found' };
  const outcome: CallOutcome = decideCallOutcome(updated.folded);
  const parentMissed = outcome !== 'completed' && !updated.folded.presentContactIds.includes(booking.contactId);
  const at = now();
  const deps: BookingDeps = { db, now: () => at, events: bookingEvents };
  const decided = await withBookingTransaction(deps, async (tx) => {
    const ended = await endCall(tx, CALL_END, {
      homeId: booking.homeId,
      bookingId: booking.id,
      status: outcome === 'completed' ? 'completed' : 'missed',
      expectedVersion: step.bookingVersion,
    });
    if (!ended) return { ended: null, followUp: { kind: 'none' } as MissedFollowUp };
    await setCallOutcome(tx.db, { homeId: booking.homeId, bookingId: booking.id, outcome, now: at });
    const followUp = parentMissed
      ? await followUpMissedCall(tx, booking, ended.version)
      : ({ kind: 'none' } as MissedFollowUp);
    return { ended, followUp };
  });
  if (!decided.ended) return { kind: 'done', outcome: 'booking-moved-on', note: outcome };
  const { followUp } = decided;
  if (followUp.kind === 'offered' && followUp.sms?.status === 'pending') {
    try {
      await enqueueSms(smsQueue, followUp.sms, { now: now() });
    } catch (error) {
      logger.warn(
        { bookingId: booking.id, messageId: followUp.sms.id, err: errorForLog(error) },
        'missed-call sms stored but not enqueued: left for the reconciler',
      );
    }
  }
  const note =
    followUp.kind === 'offered'
      ? `offered ${followUp.offerId}${followUp.sms ? '' : ' (no sms)'}`
      : followUp.kind === 'not-offered'
        ? `no new time: ${followUp.reason}`
        : undefined;
  return { kind: 'done', outcome, ...(note ? { note } : {}) };
};

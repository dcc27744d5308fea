import { answerProposal, type BookingDeps, withBookingTransaction } from '@affection/bookings';
import { AppError, type SmsCountryPolicies, smsPolicyFor } from '@affection/core';
import { type Db, findContactsByPhone, recordInboundSms, storeWebhookEventOnce, updateContact } from '@affection/db';
import type { OpenAPIHono } from '@hono/zod-openapi';
// TwiML alone, not the SDK's entry (which loads the whole REST client).
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { bookingDepsOf } from '../routes/bookings/booking-deps.ts';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { auditCallerChange, findApprovedCallers, findCallerBookings } from './caller-bookings.ts';
import { type SmsReplyIntent, smsReplyIntentOf } from './sms-keywords.ts';
import { twilioWebhookRoute, twimlResponse } from './verify-twilio-request.ts';

/** Where Twilio posts messages sent to our number (the number's "A message comes in" URL: PUBLIC_URL + this path). */
export const TWILIO_SMS_PATH = '/webhooks/twilio/sms';

/** What an inbound message led to (stored with the event; never its text or number). */
type InboundOutcome =
  | 'recorded'
  | 'opted-out'
  | 'opted-in'
  | 'confirmed'
  | 'declined'
  | 'no-proposed-booking'
  | 'replies-not-allowed'
  | 'unknown-number';

/** Sets the opt-out flag on every contact with the number (Twilio's opt-out is per number too). */
async function setOptOut(db: Db, phone: string, isOptedOut: boolean, now: Date): Promise<number> {
  const contacts = (await findContactsByPhone(db, phone)).filter((contact) => contact.smsOptOut !== isOptedOut);
  for (const contact of contacts) {
    await updateContact(db, contact.homeId, contact.id, { smsOptOut: isOptedOut }, now);
    await auditCallerChange(db, {
      contact,
      action: isOptedOut ? 'contact.sms-opt-out' : 'contact.sms-opt-in',
      subjectKind: 'contact',
      subjectId: contact.id,
      details: { via: 'sms' },
      at: now,
    });
  }
  return contacts.length;
}

/**
 * Confirms or declines the caller's next proposed booking through the booking layer (audited as the contact's own
 * answer by SMS, its lifecycle planned once the transaction commits), where the number's country allows replies.
 */
async function answerNextProposal(
  deps: BookingDeps,
  phone: string,
  intent: 'confirm' | 'decline',
  now: Date,
  policies: SmsCountryPolicies | undefined,
): Promise<InboundOutcome> {
  if (!smsPolicyFor(phone, policies).allowsReplies) return 'replies-not-allowed';
  const callers = await findApprovedCallers(deps.db, phone);
  if (callers.length === 0) return 'unknown-number';
  const proposed = (await findCallerBookings(deps.db, callers, { from: now, statuses: ['proposed'] })).filter(
    ({ booking }) => booking.start.getTime() > now.getTime(),
  );
  const next = proposed[0];
  if (!next) return 'no-proposed-booking';
  const answered = await answerProposal(
    deps,
    { kind: 'family', contactId: next.contact.id, via: 'sms' },
    { homeId: next.booking.homeId, bookingId: next.booking.id, answer: intent, expectedVersion: next.booking.version },
  );
  if (!answered.ok) return 'no-proposed-booking';
  return intent === 'confirm' ? 'confirmed' : 'declined';
}

async function act(
  deps: BookingDeps,
  intent: SmsReplyIntent,
  phone: string,
  now: Date,
  policies: SmsCountryPolicies | undefined,
): Promise<InboundOutcome> {
  const { db } = deps;
  switch (intent) {
    case 'opt-out':
      await setOptOut(db, phone, true, now);
      return 'opted-out';
    case 'opt-in':
      await setOptOut(db, phone, false, now);
      return 'opted-in';
    case 'confirm':
    case 'decline':
      return answerNextProposal(deps, phone, intent, now, policies);
    case 'other':
      return 'recorded';
  }
}

/**
 * `POST /webhooks/twilio/sms` (webhook): a message to our number, signature checked first. Each
 * message is stored once (by its `MessageSid`) as an inbound SMS. STOP / 退订 (and Twilio's other
 * opt-out words) set `sms_opt_out` on every contact with that number; START / UNSTOP clear it. Where
 * the number's country allows replies (never +86), '1' confirms and '2' declines the contact's next
 * proposed booking (`answerProposal` of the booking layer: a confirmed call is planned at once). The answer is always empty TwiML: we never text back from here.
 */
export function registerPostTwilioSms(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', twilioWebhookRoute(TWILIO_SMS_PATH, 'Inbound SMS'), async (c) => {
    const params = c.get('twilioParams');
    const services = c.get('services');
    const messageSid = params.MessageSid ?? params.SmsSid;
    const from = params.From;
    if (!messageSid || !from) throw new AppError('bad-request', 'Not an inbound message.');
    const now = services.now();
    const outcome = await withBookingTransaction(bookingDepsOf(services), async (deps) => {
      const tx = deps.db;
      const intent = smsReplyIntentOf(params.Body ?? '');
      const known = await findContactsByPhone(tx, from);
      const homeIds = new Set(known.map((contact) => contact.homeId));
      const recorded = await recordInboundSms(tx, {
        providerId: messageSid,
        provider: 'twilio',
        fromPhone: from,
        toPhone: params.To ?? '',
        body: params.Body ?? '',
        homeId: homeIds.size === 1 ? (known[0]?.homeId ?? null) : null,
        contactId: known.length === 1 ? (known[0]?.id ?? null) : null,
        now,
      });
      if (!recorded.isNew) return 'duplicate' as const;
      const result: InboundOutcome =
        known.length === 0 ? 'unknown-number' : await act(deps, intent, from, now, services.smsPolicies);
      await storeWebhookEventOnce(tx, {
        source: 'twilio-sms',
        eventId: messageSid,
        eventType: intent,
        subject: recorded.message.id,
        payload: { messageSid, smsMessageId: recorded.message.id, intent, outcome: result },
        now,
      });
      return result;
    });
    c.get('log').info({ outcome }, 'twilio inbound sms');
    return twimlResponse(c, new MessagingResponse());
  });
}

import { describeCapWindow, nextSendTime, type SendCapTable, smsSendClassOf } from '@affection/core';
import {
  SMS_CAP_DROPPED,
  SMS_CAP_MERGED,
  type SmsCapDecision,
  type SmsCapHistoryEntry,
  type SmsMessageRecord,
} from '@affection/db';

/**
 * The provider's per-number limits for a number (Alibaba Cloud's for a number it sends to), or null when its
 * provider has none (Twilio, the outbox). Built by the composition root from the routing of numbers to providers.
 */
export type SmsSendCapsFor = (to: string) => SendCapTable | null;

/** How far back the number's sends are read: the longest window of Alibaba Cloud's limits (a day). */
export const SMS_CAP_HISTORY_MS = 24 * 60 * 60_000;

/** A reminder sent within this long after a confirmation of the same call is merged into it (not sent). */
export const SMS_MERGE_WINDOW_MS = 20 * 60_000;

/**
 * Each earlier send counts as this much later than recorded: the workers' clocks may differ a little, and a send
 * must never reach the provider before its window has passed there.
 */
export const SMS_CAP_CLOCK_MARGIN_MS = 1_000;

/** Reminders: they repeat a time the parent was just told. */
const REMINDER_KINDS: ReadonlySet<string> = new Set(['reminder-15-min', 'reminder-day-before']);
/** Messages that give the parent the call's time. */
const TIME_GIVING_KINDS: ReadonlySet<string> = new Set(['booking-confirmed', 'booking-moved', 'call-now']);

/**
 * Decides, for a due message and what its number already got, whether it goes now, later or not at all, under the
 * provider's per-number limits (see `nextSendTime`):
 * - a reminder of a call whose confirmation (or move, or "call now") went to the same number less than
 *   {@link SMS_MERGE_WINDOW_MS} ago is merged into it: dropped with code `merged`;
 * - a message a limit lets go only later is delayed to then (`capped`, the limit named in the note);
 * - unless by then it no longer helps: past its `send_before`, or a reminder once its call has started — dropped
 *   with code `cap-exceeded`.
 * Earlier sends count {@link SMS_CAP_CLOCK_MARGIN_MS} later than recorded, and a message goes only once its time
 * has come (no early tolerance). Pure: the caller reads the history and applies the decision in one transaction.
 */
export function decideWithinCaps(
  capsFor: SmsSendCapsFor,
  now: Date,
): (message: SmsMessageRecord, callStart: Date | null, history: readonly SmsCapHistoryEntry[]) => SmsCapDecision {
  return (message, callStart, history) => {
    const caps = capsFor(message.toPhone);
    if (!caps) return { kind: 'send' };
    const template = message.template ?? '';
    if (REMINDER_KINDS.has(template) && message.bookingId) {
      const told = history.find(
        (sent) =>
          sent.bookingId === message.bookingId &&
          TIME_GIVING_KINDS.has(sent.template ?? '') &&
          now.getTime() - sent.at.getTime() < SMS_MERGE_WINDOW_MS,
      );
      if (told) {
        return {
          kind: 'drop',
          code: SMS_CAP_MERGED,
          note: `Merged: the ${told.template} message sent at ${told.at.toISOString()} already gave the call's time.`,
        };
      }
    }
    const sendClass = smsSendClassOf(template);
    const cap = caps[sendClass];
    if (!cap) return { kind: 'send' };
    const past = history.map((sent) => ({
      at: new Date(sent.at.getTime() + SMS_CAP_CLOCK_MARGIN_MS),
      sendClass: smsSendClassOf(sent.template ?? ''),
      template: sent.template,
    }));
    // Every counted send was made (or is in flight, counted at the latest it may reach the provider) before this
    // one: never place this one before any of them, as a plan with sends still to come would allow.
    const counted = past.filter(
      (p) => p.sendClass === sendClass && (cap.scope === 'number' || p.template === template),
    );
    const notBefore = new Date(Math.max(now.getTime(), ...counted.map((p) => p.at.getTime())));
    const verdict = nextSendTime(caps, past, { sendClass, template, notBefore });
    if (verdict.at.getTime() <= now.getTime()) return { kind: 'send' };
    const limitedBy = verdict.limitedBy ?? cap.windows[0];
    const limit = limitedBy ? describeCapWindow(limitedBy) : 'its limit';
    const when = verdict.at.toISOString();
    if (message.sendBefore && verdict.at.getTime() >= message.sendBefore.getTime()) {
      return {
        kind: 'drop',
        code: SMS_CAP_DROPPED,
        note: `Not sent: the provider takes ${limit} to this number; the next one may go at ${when}, when the message no longer helps.`,
      };
    }
    if (REMINDER_KINDS.has(template) && callStart && verdict.at.getTime() >= callStart.getTime()) {
      return {
        kind: 'drop',
        code: SMS_CAP_DROPPED,
        note: `Not sent: the provider takes ${limit} to this number; the next one may go at ${when}, after the call has started.`,
      };
    }
    return {
      kind: 'delay',
      until: verdict.at,
      note: `Delayed to ${when}: the provider takes ${limit} to this number.`,
    };
  };
}

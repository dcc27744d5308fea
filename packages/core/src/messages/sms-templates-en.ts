import { SMS_REPLY_WORDS } from './sms-message.ts';
import type { SmsTemplateSet, SmsTemplateTools } from './sms-template-set.ts';

const { confirm, cancel } = SMS_REPLY_WORDS;

function confirmOrOpen(t: SmsTemplateTools, open: string): string {
  const prompt = t.replyPrompt();
  return prompt ? ` ${prompt}` : open;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * English templates. The Home's name ends each message in square brackets rather than 【】:
 * 【】 are not in the GSM alphabet and would turn every English message into UCS-2 (70
 * characters). With Latin-script names each fits one GSM-7 message (160 characters); a name in
 * Chinese characters makes the message UCS-2, and `renderSms` then reports more than one part.
 */
export const enSmsTemplates: SmsTemplateSet = {
  'booking-confirmed': (m, t) => {
    const lead = `Call booked: ${t.names(m.childNames)}, ${t.dateTime(m.start)}.`;
    if (m.channel === 'phone') return `${lead} We will ring you.${confirmOrOpen(t, '')}`;
    if (t.link) return `${lead} Join here: ${t.link}`;
    return `${lead}${confirmOrOpen(t, ' At that time open Affection Phone.')}`;
  },
  'reminder-day-before': (m, t) => {
    const lead = `Call reminder: ${t.names(m.childNames)}, ${t.dateTime(m.start)}.`;
    if (m.channel === 'phone') return `${lead} We will ring you.${confirmOrOpen(t, '')}`;
    if (t.link) return `${lead} Join here: ${t.link}`;
    return `${lead}${confirmOrOpen(t, ' At that time open Affection Phone.')}`;
  },
  'reminder-15-min': (m, t) => {
    const lead = `Your call with ${t.names(m.childNames)} starts in 15 minutes (${t.clock(m.start)}).`;
    if (m.channel === 'phone') return `${lead} We will ring you.`;
    return t.link ? `${lead} Join here: ${t.link}` : `${lead} Open Affection Phone now.`;
  },
  'call-missed-offer-new-time': (m, t) =>
    `Missed call with ${t.names(m.childNames)}. New time: ${t.dateTime(m.offeredStart)}.${t.link ? ` To change: ${t.link}` : ' To change it, open Affection Phone.'}`,
  'booking-cancelled': (m, t) =>
    `Call with ${t.names(m.childNames)} on ${t.dateTime(m.start)} cancelled.${t.link ? ` Book again: ${t.link}` : ' To book again, open Affection Phone.'}`,
  'booking-moved': (m, t) =>
    t.link
      ? `Call with ${t.names(m.childNames)} moved to ${t.dateTime(m.start)}. To change: ${t.link}`
      : `Call with ${t.names(m.childNames)} moved from ${t.dateTime(m.previousStart)} to ${t.dateTime(m.start)}.`,
  'one-time-code': (m) =>
    `Your Affection Phone code is ${m.code}. It expires in ${m.validMinutes} minutes. Do not share it.`,
  'duty-digest': (m, t) =>
    `Duty ${t.date(m.day)}: ${plural(m.callCount, 'call', 'calls')}${m.firstStart ? `, first at ${t.clock(m.firstStart)}` : ''}. ${plural(m.noContactCount, 'child', 'children')} without a call for ${m.noContactDays}+ days. See Affection Phone.`,
  'no-contact-alert': (m, t) =>
    `${t.names(m.childNames)} ${m.childNames.length > 1 ? 'have' : 'has'} not talked with family for ${m.daysWithoutContact} days. Please book a call.`,
  'call-proposed': (m, t) =>
    `Proposed call: ${t.names(m.childNames)}, ${t.dateTime(m.start)}.${t.link ? ` Confirm: ${t.link}` : confirmOrOpen(t, ' To confirm, open Affection Phone.')}`,
  'call-now': (m, t) => {
    const lead = `${t.names(m.childNames)} is waiting at school to talk to you now.`;
    if (m.channel === 'phone') return `${lead} We will ring you now.`;
    return t.link ? `${lead} Join here: ${t.link}` : `${lead} Please open Affection Phone.`;
  },
  signature: (homeName) => ` [${homeName}]`,
  replyPrompt: `Reply ${confirm} to confirm, ${cancel} to cancel.`,
  localTimeMarker: ' (your time)',
  dateTimeFormat: 'ccc d LLL, HH:mm',
  dateFormat: 'ccc d LLL',
  listSeparator: ', ',
  lastListSeparator: ' and ',
};

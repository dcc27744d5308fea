import { SMS_REPLY_WORDS } from '@affection/core';

/**
 * Replies that stop all messages to the number: Twilio's own opt-out words (Twilio stops sending on
 * them whatever we do, so we record the same) and the Chinese 退订 / TD.
 */
export const SMS_OPT_OUT_WORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  '退订',
  'TD',
];

/** Replies that resume messages after an opt-out (Twilio's opt-in words). */
export const SMS_OPT_IN_WORDS: readonly string[] = ['START', 'UNSTOP', 'YES'];

/** What an inbound message asks for. */
export type SmsReplyIntent = 'opt-out' | 'opt-in' | 'confirm' | 'decline' | 'other';

/**
 * What a reply means, read like Twilio reads keywords: the whole message, trimmed, case-insensitive,
 * trailing punctuation (also full-width) ignored. `confirm` and `decline` are the
 * `SMS_REPLY_WORDS` ('1' and '2', full-width digits too); anything else is `other`.
 *
 * @example smsReplyIntentOf(' stop! ') === 'opt-out'
 */
export function smsReplyIntentOf(body: string): SmsReplyIntent {
  const word = body
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!?。！？]+$/u, '')
    .toUpperCase();
  if (SMS_OPT_OUT_WORDS.includes(word)) return 'opt-out';
  if (SMS_OPT_IN_WORDS.includes(word)) return 'opt-in';
  if (word === SMS_REPLY_WORDS.confirm) return 'confirm';
  if (word === SMS_REPLY_WORDS.cancel) return 'decline';
  return 'other';
}

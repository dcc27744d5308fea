import type { SmsMessageKind, SmsMessageOf } from './sms-message.ts';

/** What a template may use, already decided for this recipient. */
export interface SmsTemplateTools {
  /** Date and time in the recipient's zone, marked as local time when it differs from the Home's. */
  dateTime(instant: Date): string;
  /** The date alone (for the duty digest). */
  date(instant: Date): string;
  /** `HH:mm` in the recipient's zone. */
  clock(instant: Date): string;
  /** Children's names joined the way this language lists them. */
  names(names: readonly string[]): string;
  /** The family page link, only when the recipient's country allows links and one was given. */
  link: string | undefined;
  /** The language's confirm/cancel reply prompt where the recipient's country allows replies, else `undefined`. */
  replyPrompt(): string | undefined;
}

/** One language's templates: a function per message kind and the Home signature. */
export type SmsTemplateSet = {
  [K in SmsMessageKind]: (message: SmsMessageOf<K>, tools: SmsTemplateTools) => string;
} & {
  /** The Home's name as the message's last words. */
  signature(homeName: string): string;
  /** Asks to reply with the `SMS_REPLY_WORDS`; only used where replies are allowed. */
  replyPrompt: string;
  /** Marks a time given in the recipient's own zone when it differs from the Home's. */
  localTimeMarker: string;
  /** `luxon` formats for {@link SmsTemplateTools.dateTime} and {@link SmsTemplateTools.date}. */
  dateTimeFormat: string;
  dateFormat: string;
  listSeparator: string;
  lastListSeparator: string;
};

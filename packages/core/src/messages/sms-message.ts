/** The languages SMS templates exist in (zh-CN first). */
export const SMS_LANGUAGES = ['zh-CN', 'en'] as const;
/** One of {@link SMS_LANGUAGES}. */
export type SmsLanguage = (typeof SMS_LANGUAGES)[number];

/** How the parent takes the call: on the family page (video) or on an ordinary phone. */
export type SmsCallChannel = 'video' | 'phone';

/** Every message we send, by kind. */
export const SMS_MESSAGE_KINDS = [
  'booking-confirmed',
  'reminder-day-before',
  'reminder-15-min',
  'call-missed-offer-new-time',
  'booking-cancelled',
  'booking-moved',
  'one-time-code',
  'duty-digest',
  'no-contact-alert',
  'call-proposed',
  'call-now',
] as const;
/** One of {@link SMS_MESSAGE_KINDS}. */
export type SmsMessageKind = (typeof SMS_MESSAGE_KINDS)[number];

/**
 * A message to render. Children are named by the names their parent uses (siblings share one
 * call, so there may be several); times are UTC instants, rendered in the recipient's zone.
 */
export type SmsMessage =
  /** To a parent, when a call is booked. */
  | { kind: 'booking-confirmed'; childNames: readonly string[]; start: Date; channel: SmsCallChannel }
  /** To a parent, the day before the call. */
  | { kind: 'reminder-day-before'; childNames: readonly string[]; start: Date; channel: SmsCallChannel }
  /** To a parent, 15 minutes before the call. */
  | { kind: 'reminder-15-min'; childNames: readonly string[]; start: Date; channel: SmsCallChannel }
  /** To a parent, after a call nobody answered, with a new slot held for them. */
  | { kind: 'call-missed-offer-new-time'; childNames: readonly string[]; missedStart: Date; offeredStart: Date }
  /** To a parent, when a call is cancelled. */
  | { kind: 'booking-cancelled'; childNames: readonly string[]; start: Date }
  /** To a parent, when a call is moved to another time. */
  | { kind: 'booking-moved'; childNames: readonly string[]; previousStart: Date; start: Date }
  /** To a parent signing in with their phone number. */
  | { kind: 'one-time-code'; code: string; validMinutes: number }
  /** To the duty teacher, in the morning. */
  | {
      kind: 'duty-digest';
      day: Date;
      callCount: number;
      /** The first call of the day, if any. */
      firstStart: Date | undefined;
      /** Children with no contact for `noContactDays` or more. */
      noContactCount: number;
      noContactDays: number;
    }
  /** To a child's paired teacher, when the child has had no contact for too long. */
  | { kind: 'no-contact-alert'; childNames: readonly string[]; daysWithoutContact: number }
  /** To a parent, when the weekly scheduler proposes a call: it holds the slot until they confirm or decline. */
  | { kind: 'call-proposed'; childNames: readonly string[]; start: Date }
  /** To a parent, at once, when a teacher starts a call now ("call now"): the child is waiting at the kiosk. */
  | { kind: 'call-now'; childNames: readonly string[]; channel: SmsCallChannel };

/** The message of one kind. */
export type SmsMessageOf<K extends SmsMessageKind> = Extract<SmsMessage, { kind: K }>;

/**
 * Reply words a parent may send where replies are allowed (never to +86): the inbound SMS
 * handler reads the same constants.
 */
export const SMS_REPLY_WORDS = { confirm: '1', cancel: '2' } as const;

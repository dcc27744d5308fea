import { APP_ERROR_CODES } from './app-error-codes.ts';

/**
 * Every reason a request can be refused for, by area. Each is sent as `details.reason` (the
 * `common` ones are the error codes themselves) and has the message key `error.<area>.<reason>`
 * in the zh-CN and en catalogs; a test checks that both catalogs hold every key.
 */
export const ERROR_REASONS = {
  common: APP_ERROR_CODES,
  auth: ['csrf', 'login-failed', 'wrong-password', 'unknown-login', 'login-throttled', 'login-unavailable'],
  staff: [
    'username-taken',
    'phone-taken',
    'no-active-admin',
    'own-deactivate',
    'own-role',
    'own-password',
    'login-name-required',
  ],
  kiosk: ['code-invalid', 'enrol-unavailable', 'offline', 'generic'],
  'kiosk-call': [
    'not-yet',
    'ended',
    'cancelled',
    'not-started',
    'outside-call',
    'too-many-reports',
    'calls-unavailable',
  ],
  opening: ['exception-clash', 'bookings-affected', 'bookings-changed'],
  duty: ['already-overridden', 'staff-inactive'],
  contact: ['household-archived', 'phone-taken'],
  pairing: ['already-paired', 'staff-inactive', 'child-archived'],
  records: ['erase-confirm'],
  photo: ['too-large', 'wrong-type'],
  diary: ['not-author'],
  family: [
    'link-invalid',
    'link-expired',
    'link-revoked',
    'contact-not-approved',
    'code-wrong',
    'code-expired',
    'too-many-codes',
    'code-wait',
    'code-locked',
    'too-many-tries',
    'too-many-links',
    'not-open',
    'ended',
    'cancelled',
    'calls-unavailable',
    'unavailable',
    'network',
    'signed-out',
    'generic',
  ],
  booking: [
    'slot-taken',
    'outside-hours',
    'quota-reached',
    'contact-not-approved',
    'too-soon',
    'beyond-horizon',
    'child-busy',
    'contact-busy',
    'not-active',
    'no-children',
    'not-on-duty',
    'no-enrolled-kiosk',
    'kiosk-offline',
    'has-second-contact',
    'same-contact',
  ],
  board: ['not-live', 'already-ended', 'kiosk-busy', 'no-phone-line', 'cannot-ring', 'already-ringing'],
  queues: ['read-only', 'not-confirmed', 'action-not-allowed'],
} as const;

/** An area of {@link ERROR_REASONS}. */
export type ErrorArea = keyof typeof ERROR_REASONS;

/** A refusal reason of `area`. */
export type ErrorReasonOf<A extends ErrorArea> = (typeof ERROR_REASONS)[A][number];

/** The message key of a refusal: `error.<area>.<reason>`, e.g. `error.booking.slot-taken`. */
export type ErrorMessageKey = { [A in ErrorArea]: `error.${A}.${ErrorReasonOf<A>}` }[ErrorArea];

/** Every {@link ErrorMessageKey}, as data (for the catalog check and the API documents). */
export const ERROR_MESSAGE_KEYS: readonly ErrorMessageKey[] = Object.entries(ERROR_REASONS).flatMap(([area, reasons]) =>
  (reasons as readonly string[]).map((reason) => `error.${area}.${reason}` as ErrorMessageKey),
);

/** The message key of `reason` in `area`. */
export function errorMessageKey<A extends ErrorArea>(area: A, reason: ErrorReasonOf<A>): ErrorMessageKey {
  return `error.${area}.${reason}` as ErrorMessageKey;
}

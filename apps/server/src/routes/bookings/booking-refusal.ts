import { BOOKING_REFUSALS, type BookingRefusal } from '@affection/bookings';
import { AppError, type AppErrorCode } from '@affection/core';

// The refusals themselves are the booking layer's; this file maps each to its HTTP error. BOOKING_REFUSALS is
// re-exported for the API tests that walk every refusal.
export { BOOKING_REFUSALS };

const REFUSALS: Record<BookingRefusal, { code: AppErrorCode; message: string }> = {
  'slot-taken': { code: 'conflict', message: 'No kiosk is free at this time any more. Please pick another slot.' },
  'child-busy': { code: 'conflict', message: 'A child of this household already has a call at this time.' },
  'contact-busy': { code: 'conflict', message: 'This contact already has a call at this time.' },
  'quota-reached': { code: 'conflict', message: 'A child of this household has used up this week’s calls.' },
  'not-active': {
    code: 'conflict',
    message: 'This booking can no longer be changed: it has started, ended or was cancelled.',
  },
  'outside-hours': {
    code: 'unprocessable',
    message: 'This time is not a slot of the Home’s opening hours. Please pick one of the offered slots.',
  },
  'contact-not-approved': {
    code: 'unprocessable',
    message: 'This contact is not approved for calls with this household yet.',
  },
  'too-soon': { code: 'unprocessable', message: 'This slot starts too soon to be booked. Please pick a later one.' },
  'beyond-horizon': { code: 'unprocessable', message: 'This slot is too far ahead to be booked yet.' },
  'no-children': { code: 'unprocessable', message: 'This household has no active child to call.' },
  'not-on-duty': {
    code: 'forbidden',
    message: 'Only the teacher on duty today (or the Home’s admin) can start a call now.',
  },
  'no-enrolled-kiosk': {
    code: 'conflict',
    message: 'No kiosk of the Home is switched on and enrolled yet. Enrol a kiosk tablet (or switch one on) first.',
  },
  'has-second-contact': {
    code: 'conflict',
    message: 'This call already has a second contact. Cancel it and book again to change who is on it.',
  },
  'same-contact': { code: 'unprocessable', message: 'This contact is already on the call. Choose the other parent.' },
  'kiosk-offline': {
    code: 'conflict',
    message: 'No free kiosk has reached the server in the last 10 minutes. Check that a kiosk is on and online.',
  },
};

/**
 * The one error body for a refused booking: 409 for conflicts (`slot-taken`, `child-busy`, `contact-busy`,
 * `quota-reached`, `not-active`, `no-enrolled-kiosk`, `kiosk-offline`, `has-second-contact`), 403 for `not-on-duty`, 422 for the rest; `details.reason` names it and the
 * message key is `error.booking.<reason>`.
 * @example throw bookingRefusalError('slot-taken') // 409 { error: { code: 'conflict', details: { reason: 'slot-taken' } } }
 */
export function bookingRefusalError(reason: BookingRefusal, details: Record<string, unknown> = {}): AppError {
  const refusal = REFUSALS[reason];
  return new AppError(refusal.code, refusal.message, {
    userMessageKey: `error.booking.${reason}`,
    details: { reason, ...details },
  });
}

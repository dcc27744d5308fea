import type { BookingRejection } from '@affection/core';
import type { BookingRecord } from '@affection/db';

/**
 * Why a booking operation was refused: the slot checker's reasons, plus `not-active` (the booking can no longer be
 * changed: it started, ended or was cancelled, or its version moved on), `no-children` (the household has no active
 * child to call), `not-on-duty` (a "call now" by a teacher who is not on duty today) and `no-enrolled-kiosk` (the
 * Home has no kiosk that is switched on and enrolled by a tablet, so a call has nowhere to take place) and
 * `kiosk-offline` (a "call now" finds every free kiosk silent for longer than a kiosk on the wall ever is);
 * adding a second contact: `has-second-contact` (the call already has one) and `same-contact` (it is the first).
 */
export type BookingRefusal =
  | BookingRejection
  | 'not-active'
  | 'no-children'
  | 'not-on-duty'
  | 'no-enrolled-kiosk'
  | 'kiosk-offline'
  | 'has-second-contact'
  | 'same-contact';

/** Every {@link BookingRefusal}, in the order the API documents them. */
export const BOOKING_REFUSALS = [
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
] as const satisfies readonly BookingRefusal[];

/**
 * What a booking operation answers: the booking (and the Home's zone to show it in), or why it was refused.
 * Unknown ids (household, contact, child, kiosk, booking of the Home) are not outcomes but a `not-found` `AppError`.
 */
export type BookingOutcome =
  | { ok: true; booking: BookingRecord; timeZone: string }
  | { ok: false; reason: BookingRefusal };

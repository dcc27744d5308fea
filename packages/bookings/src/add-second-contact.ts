import { AppError } from '@affection/core';
import { addSecondBookingContact, getBooking, getHome, loadSchedulingHousehold } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { BookingOutcome } from './booking-outcome.ts';
import { withBookingTransaction } from './with-booking-transaction.ts';

/** A second contact to add to a booked call, making it a three-way call. */
export interface AddSecondContactInput {
  homeId: string;
  bookingId: string;
  /** Another approved contact of the booking's household. */
  secondContactId: string;
  /** Only a booking of this household (a family's own); another household's is a `not-found`. */
  householdId?: string;
  /** Refuse (`not-active`) if the booking's version moved on. */
  expectedVersion?: number;
}

/**
 * Adds a second contact to a `proposed` or `confirmed` booking, as if it had been booked with two: the contact must
 * be an approved one of the booking's household (`contact-not-approved`), not already in an overlapping call
 * (`contact-busy`, the database's word); `same-contact` for the booking's first contact, `has-second-contact` when
 * it already has one, `not-active` once it started, ended or was cancelled (or its version moved on). A booking not
 * in the Home (or not of `householdId`): a `not-found` `AppError`. Reported as `add-contact`, so the lifecycle is
 * planned again and the second contact gets its own confirmation, reminders and rings (the `-2` steps).
 */
export async function addSecondContact(
  deps: BookingDeps,
  actor: BookingActor,
  input: AddSecondContactInput,
): Promise<BookingOutcome> {
  const now = deps.now();
  const booking = await getBooking(deps.db, input.homeId, input.bookingId);
  if (!booking || (input.householdId && booking.householdId !== input.householdId)) {
    throw new AppError('not-found', 'No such booking in your Home.');
  }
  const household = await loadSchedulingHousehold(deps.db, input.homeId, booking.householdId);
  const contact = household?.contacts.find((c) => c.id === input.secondContactId);
  if (!contact?.approved) return { ok: false, reason: 'contact-not-approved' };
  const result = await withBookingTransaction(deps, async (tx) => {
    const written = await addSecondBookingContact(tx.db, input.homeId, input.bookingId, {
      contactId: input.secondContactId,
      now,
      expectedVersion: input.expectedVersion,
    });
    if (written.ok) await tx.events.changed(actor, 'add-contact', written.booking);
    return written;
  });
  if (!result.ok) {
    if (result.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
    return { ok: false, reason: result.reason };
  }
  const home = await getHome(deps.db, input.homeId);
  return { ok: true, booking: result.booking, timeZone: home?.timeZone ?? 'UTC' };
}

import { AppError } from '@affection/core';
import { type BookingRecord, type BookingWriteRejection, createBooking, type QuotaGuard } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';

/** A call the weekly scheduler proposes: a slot and kiosk it found free, and the quota week it counts in. */
export interface ProposeBookingInput {
  homeId: string;
  kioskId: string;
  householdId: string;
  contactId: string;
  childIds: readonly string[];
  start: Date;
  end: Date;
  /** The weekly quota, counted again inside the write under the household's lock. */
  quota: QuotaGuard;
}

/**
 * Stores one proposal of the weekly scheduler as a `proposed` booking (source `auto`) awaiting the parent. The
 * database refuses what someone booked meanwhile (`slot-taken`, `child-busy`, `contact-busy`) or a week whose
 * quota was used up (`quota-reached`). Reported as `propose`.
 */
export async function proposeBooking(
  deps: BookingDeps,
  actor: BookingActor,
  input: ProposeBookingInput,
): Promise<{ ok: true; booking: BookingRecord } | { ok: false; reason: BookingWriteRejection }> {
  const created = await createBooking(
    deps.db,
    {
      homeId: input.homeId,
      kioskId: input.kioskId,
      householdId: input.householdId,
      contactId: input.contactId,
      childIds: input.childIds,
      start: input.start,
      end: input.end,
      status: 'proposed',
      source: 'auto',
      now: deps.now(),
    },
    { quota: input.quota },
  );
  if (!created.ok) {
    if (created.reason === 'not-found' || created.reason === 'not-active') {
      throw new AppError('internal', `Unexpected ${created.reason} while creating a booking.`);
    }
    return { ok: false, reason: created.reason };
  }
  await deps.events.changed(actor, 'propose', created.booking);
  return created;
}

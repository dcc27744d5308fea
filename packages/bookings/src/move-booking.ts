import { AppError, checkBooking, isChangeableBookingStatus, type SchedulingContact } from '@affection/core';
import { getBooking, loadBookingSnapshot, rescheduleBooking } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import {
  bookingScope,
  chooseKiosk,
  freeKiosks,
  hasBookableKiosk,
  preferSeenKiosks,
  quotaGuardFor,
  quotaUsageFor,
  requireKiosk,
  slotEnd,
  snapshotRanges,
  withBookableKiosks,
  withHorizon,
} from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { BookingOutcome } from './booking-outcome.ts';
import { writeOnFreeKiosk } from './write-on-free-kiosk.ts';

/** A new slot for an existing booking. */
export interface MoveBookingInput {
  homeId: string;
  bookingId: string;
  start: Date;
  /** Default: the booking's kiosk if free in the new slot, else a free one. */
  kioskId?: string;
  /** Refuse (`not-active`) if the booking's version moved on. */
  expectedVersion?: number;
  /** Widens the booking horizon (moving a standing series). */
  horizonDays?: number;
  /** Only a booking of this household (a family's own). */
  householdId?: string;
}

/**
 * Moves a `proposed` or `confirmed` booking to another slot of the grid, with the same children and contacts. The
 * checker runs as for a new booking, disregarding the booking itself; the database constraints decide races, and a
 * kiosk taken meanwhile is retried ({@link writeOnFreeKiosk}). A booking not in the Home: a `not-found` `AppError`.
 * Reported as `reschedule`.
 */
export async function moveBooking(
  deps: BookingDeps,
  actor: BookingActor,
  input: MoveBookingInput,
): Promise<BookingOutcome> {
  const { db } = deps;
  const now = deps.now();
  const { homeId, start } = input;
  const booking = await getBooking(db, homeId, input.bookingId);
  if (!booking || (input.householdId && booking.householdId !== input.householdId)) {
    throw new AppError('not-found', 'No such booking in your Home.');
  }
  if (!isChangeableBookingStatus(booking.status)) return { ok: false, reason: 'not-active' };
  if (input.expectedVersion !== undefined && input.expectedVersion !== booking.version) {
    return { ok: false, reason: 'not-active' };
  }
  const scope = bookingScope(start, start);
  const snapshot = await loadBookingSnapshot(
    db,
    homeId,
    booking.householdId,
    snapshotRanges(now, scope.end, { start, end: start }),
  );
  if (!snapshot) throw new AppError('not-found', 'Your Home no longer exists.');
  const calendar = withHorizon(withBookableKiosks(snapshot.calendar), input.horizonDays);
  const loaded = snapshot.household;
  requireKiosk(calendar, input.kioskId);
  if (!hasBookableKiosk(calendar)) return { ok: false, reason: 'no-enrolled-kiosk' };
  // The booking keeps its children even if one was archived since; the contacts must still be approved.
  const household = {
    id: booking.householdId,
    childIds: booking.childIds,
    contactIds: loaded?.household.contactIds ?? [],
  };
  const contactIds = [booking.contactId, ...(booking.secondContactId ? [booking.secondContactId] : [])];
  const contacts = contactIds.map(
    (id): SchedulingContact =>
      loaded?.contacts.find((c) => c.id === id) ?? { id, timeZone: calendar.settings.timeZone, approved: false },
  );
  const end = slotEnd(calendar, start);
  const written = await writeOnFreeKiosk(db, {
    homeId,
    bookings: snapshot.bookings,
    scope,
    attempts: input.kioskId ? 1 : Math.max(1, calendar.kiosks.length),
    choose: (bookings, isRetry) => {
      const free = preferSeenKiosks(calendar, freeKiosks(calendar, bookings, start, end, booking.id), now);
      const kioskId = chooseKiosk(calendar, free, input.kioskId, isRetry ? undefined : booking.kioskId);
      const quotaUsage = quotaUsageFor(calendar, bookings, booking.childIds, booking.id);
      for (const contact of contacts) {
        const check = checkBooking({
          calendar,
          household,
          contact,
          request: { kioskId, start, end, childIds: booking.childIds },
          bookings,
          now,
          replacingBookingId: booking.id,
          quotaUsage,
        });
        if (!check.ok) return check;
      }
      return { ok: true, kioskId };
    },
    write: async (kioskId) => {
      const moved = await rescheduleBooking(
        db,
        homeId,
        booking.id,
        { kioskId, start, end, now, expectedVersion: booking.version },
        { quota: quotaGuardFor(calendar, start) },
      );
      if (moved.ok) return moved;
      if (moved.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
      return { ok: false, reason: moved.reason };
    },
  });
  if (!written.ok) return written;
  await deps.events.changed(actor, 'reschedule', written.booking);
  return { ...written, timeZone: calendar.settings.timeZone };
}

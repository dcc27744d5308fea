import { AppError, CHANGEABLE_BOOKING_STATUSES, checkBooking, type SchedulingContact } from '@affection/core';
import {
  type BookingRecord,
  type Db,
  getBooking,
  listSchedulingBookings,
  loadBookingSnapshot,
  rescheduleBooking,
} from '@affection/db';
import {
  bookingScope,
  chooseKiosk,
  freeKiosks,
  quotaGuardFor,
  quotaUsageFor,
  requireKiosk,
  slotEnd,
  snapshotRanges,
  withHorizon,
} from './booking-context.ts';
import type { BookingOutcome } from './booking-refusal.ts';

/** A new slot for an existing booking. */
export interface MoveBookingRequest {
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
  now: Date;
}

/**
 * Moves a `proposed` or `confirmed` booking to another slot of the grid, with the same children and contacts. The
 * checker runs as for a new booking, disregarding the booking itself; the database constraints decide races. A 404
 * for a booking not in the Home.
 */
export async function moveBooking(db: Db, request: MoveBookingRequest): Promise<BookingOutcome<BookingRecord>> {
  const { homeId, start, now } = request;
  const booking = await getBooking(db, homeId, request.bookingId);
  if (!booking || (request.householdId && booking.householdId !== request.householdId)) {
    throw new AppError('not-found', 'No such booking in your Home.');
  }
  if (!(CHANGEABLE_BOOKING_STATUSES as readonly string[]).includes(booking.status)) {
    return { ok: false, reason: 'not-active' };
  }
  if (request.expectedVersion !== undefined && request.expectedVersion !== booking.version) {
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
  const calendar = withHorizon(snapshot.calendar, request.horizonDays);
  const loaded = snapshot.household;
  requireKiosk(calendar, request.kioskId);
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
  const attempts = request.kioskId ? 1 : Math.max(1, calendar.kiosks.length);
  let preferred: string | undefined = booking.kioskId;
  let bookings = snapshot.bookings;
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) bookings = await listSchedulingBookings(db, homeId, scope);
    const free = freeKiosks(calendar, bookings, start, end, booking.id);
    const kioskId = chooseKiosk(calendar, free, request.kioskId, preferred);
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
    const moved = await rescheduleBooking(
      db,
      homeId,
      booking.id,
      { kioskId, start, end, now, expectedVersion: booking.version },
      { quota: quotaGuardFor(calendar, start) },
    );
    if (moved.ok) return { ...moved, timeZone: calendar.settings.timeZone };
    if (moved.reason === 'slot-taken' && attempt < attempts) {
      preferred = undefined;
      continue;
    }
    if (moved.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
    return { ok: false, reason: moved.reason };
  }
}

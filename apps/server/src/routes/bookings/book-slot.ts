import { AppError, type BookingStatus, checkBooking } from '@affection/core';
import { type BookingRecord, type BookingSource, createBooking, type Db, listSchedulingBookings } from '@affection/db';
import {
  bookingScope,
  childrenOf,
  chooseKiosk,
  contactOf,
  decisionInputsFor,
  freeKiosks,
  quotaGuardFor,
  quotaUsageFor,
  requireKiosk,
  slotEnd,
} from './booking-context.ts';
import type { BookingOutcome } from './booking-refusal.ts';

/** A slot someone asks to book. */
export interface BookSlotRequest {
  homeId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  /** Default: all the household's active children. */
  childIds?: readonly string[];
  /** Default: the server picks a free kiosk. */
  kioskId?: string;
  /** Tried first when free and no `kioskId` is given (a series keeps to one kiosk where it can). */
  preferredKioskId?: string;
  start: Date;
  status: BookingStatus;
  source: BookingSource;
  createdBy: string | null;
  seriesId?: string | null;
  /** Widens the booking horizon to this many days (a standing series). Default: the Home's horizon. */
  horizonDays?: number;
  now: Date;
}

/**
 * Books one slot of the Home's grid. The slot checker runs first (contact approved and of the household, notice,
 * horizon, grid, kiosk, children, contact, weekly quota; for both contacts of a three-way call); the database has
 * the final word under concurrency. When the server picked the kiosk and another request took it meanwhile, it
 * tries the next free kiosk. Unknown household, contact, child or kiosk of the Home: a 404.
 */
export async function bookSlot(db: Db, request: BookSlotRequest): Promise<BookingOutcome<BookingRecord>> {
  if (request.secondContactId && request.secondContactId === request.contactId) {
    throw new AppError('bad-request', 'The second contact must be someone else than the first.');
  }
  const { homeId, start, now } = request;
  // One round trip for the calendar, the household and the bookings around the slot (its quota week included).
  const scope = bookingScope(start, start);
  const inputs = await decisionInputsFor(db, homeId, request.householdId, {
    now,
    until: scope.end,
    span: { start, end: start },
    horizonDays: request.horizonDays,
  });
  const { calendar, household } = inputs;
  requireKiosk(calendar, request.kioskId);
  const contacts = [request.contactId, ...(request.secondContactId ? [request.secondContactId] : [])].map((id) =>
    contactOf(household, id),
  );
  const childIds = childrenOf(household, request.childIds);
  if (childIds.length === 0) return { ok: false, reason: 'no-children' };
  const end = slotEnd(calendar, start);
  const attempts = request.kioskId ? 1 : Math.max(1, calendar.kiosks.length);
  let preferred = request.preferredKioskId;
  let bookings = inputs.bookings;
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) bookings = await listSchedulingBookings(db, homeId, scope);
    const free = freeKiosks(calendar, bookings, start, end);
    const kioskId = chooseKiosk(calendar, free, request.kioskId, preferred);
    const quotaUsage = quotaUsageFor(calendar, bookings, childIds);
    for (const contact of contacts) {
      const check = checkBooking({
        calendar,
        household: household.household,
        contact,
        request: { kioskId, start, end, childIds },
        bookings,
        now,
        quotaUsage,
      });
      if (!check.ok) return check;
    }
    const written = await createBooking(
      db,
      {
        homeId,
        kioskId,
        householdId: household.household.id,
        contactId: request.contactId,
        secondContactId: request.secondContactId ?? null,
        childIds,
        start,
        end,
        status: request.status,
        source: request.source,
        seriesId: request.seriesId ?? null,
        createdBy: request.createdBy,
        now,
      },
      { quota: quotaGuardFor(calendar, start) },
    );
    if (written.ok) return { ...written, timeZone: calendar.settings.timeZone };
    if (written.reason === 'slot-taken' && attempt < attempts) {
      preferred = undefined;
      continue;
    }
    if (written.reason === 'not-found' || written.reason === 'not-active') {
      throw new AppError('internal', `Unexpected ${written.reason} while creating a booking.`);
    }
    return { ok: false, reason: written.reason };
  }
}

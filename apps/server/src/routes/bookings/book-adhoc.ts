import { AppError, isCountedBooking, openingIntervals } from '@affection/core';
import { type BookingRecord, createBooking, type Db, listSchedulingBookings } from '@affection/db';
import { bookingScope, childrenOf, contactOf, decisionInputsFor, freeKiosks, slotEnd } from './booking-context.ts';
import type { BookingOutcome } from './booking-refusal.ts';

/** A "call now" request by the duty teacher. */
export interface BookAdhocRequest {
  homeId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  childIds?: readonly string[];
  createdBy: string;
  now: Date;
}

/**
 * Books a call that starts now and lasts one slot, on a free kiosk, when the Home is open now (`outside-hours`
 * otherwise) and the contact is approved. It ignores the slot grid, the minimum notice and the weekly quota (the
 * teacher on duty decides; the call still counts for the week), but never double-books a kiosk, a child or a
 * contact.
 */
export async function bookAdhoc(db: Db, request: BookAdhocRequest): Promise<BookingOutcome<BookingRecord>> {
  if (request.secondContactId && request.secondContactId === request.contactId) {
    throw new AppError('bad-request', 'The second contact must be someone else than the first.');
  }
  const { homeId, now } = request;
  const scope = bookingScope(now, now);
  const inputs = await decisionInputsFor(db, homeId, request.householdId, {
    now,
    until: new Date(now.getTime() + 86_400_000),
    span: { start: now, end: now },
  });
  const { calendar, household } = inputs;
  const contactIds = [request.contactId, ...(request.secondContactId ? [request.secondContactId] : [])];
  const contacts = contactIds.map((id) => contactOf(household, id));
  const childIds = childrenOf(household, request.childIds);
  if (childIds.length === 0) return { ok: false, reason: 'no-children' };
  if (contacts.some((c) => !c.approved)) return { ok: false, reason: 'contact-not-approved' };
  const isOpen = openingIntervals(calendar, now, new Date(now.getTime() + 1)).some(
    (i) => i.start.getTime() <= now.getTime() && now.getTime() < i.end.getTime(),
  );
  if (!isOpen) return { ok: false, reason: 'outside-hours' };
  const start = now;
  const end = slotEnd(calendar, start);
  let loaded = inputs.bookings;
  for (let attempt = 1; ; attempt += 1) {
    if (attempt > 1) loaded = await listSchedulingBookings(db, homeId, scope);
    const bookings = loaded.filter(
      (b) => isCountedBooking(b) && b.start.getTime() < end.getTime() && b.end.getTime() > start.getTime(),
    );
    if (bookings.some((b) => b.childIds.some((c) => childIds.includes(c)))) return { ok: false, reason: 'child-busy' };
    if (bookings.some((b) => b.contactIds.some((c) => contactIds.includes(c)))) {
      return { ok: false, reason: 'contact-busy' };
    }
    const free = freeKiosks(calendar, bookings, start, end);
    const kioskId = free[0];
    if (!kioskId) return { ok: false, reason: 'slot-taken' };
    const written = await createBooking(db, {
      homeId,
      kioskId,
      householdId: household.household.id,
      contactId: request.contactId,
      secondContactId: request.secondContactId ?? null,
      childIds,
      start,
      end,
      status: 'confirmed',
      source: 'adhoc',
      createdBy: request.createdBy,
      now,
    });
    if (written.ok) return { ...written, timeZone: calendar.settings.timeZone };
    if (written.reason === 'slot-taken' && attempt < calendar.kiosks.length) continue;
    if (written.reason === 'not-found' || written.reason === 'not-active') {
      throw new AppError('internal', `Unexpected ${written.reason} while creating a booking.`);
    }
    return { ok: false, reason: written.reason };
  }
}

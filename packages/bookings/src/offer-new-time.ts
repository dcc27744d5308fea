import { bookingWindow, freeSlotsFor, type SchedulingAvailabilityWindow } from '@affection/core';
import {
  type BookingRecord,
  createBooking,
  listBookingsOfHousehold,
  listSchedulingBookings,
  loadHomeCalendar,
  loadSchedulingHousehold,
} from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import { withBookableKiosks } from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';

/** The answer to {@link offerNewTime}. */
export type NewTimeOffer =
  | { ok: true; booking: BookingRecord; isNew: boolean }
  | { ok: false; reason: 'contact-not-approved' | 'no-child' | 'no-free-slot' };

const DAY_MS = 86_400_000;
/** Slots tried at most before giving up (each may be taken by a concurrent booking). */
const MAX_TRIES = 20;
const ALL_WEEK = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' }));

/**
 * Holds a new slot for a household whose call was missed: the earliest free slot inside the contact's availability
 * windows (any open slot when the contact gave none), from the Home's minimum notice on and within its booking
 * horizon, for the same children and contact, as a `proposed` booking with source `auto` that names the missed booking
 * as its maker (`createdBy`). Idempotent: a proposal already made for the missed booking is returned as it is. The
 * database's exclusion constraints decide between concurrent bookings; a slot taken meanwhile is skipped. A new
 * offer is reported as `offer`.
 */
export async function offerNewTime(
  deps: BookingDeps,
  actor: BookingActor,
  missed: BookingRecord,
): Promise<NewTimeOffer> {
  const { db } = deps;
  const now = deps.now();
  const earlier = await listBookingsOfHousehold(db, missed.homeId, missed.householdId, {
    from: now,
    statuses: ['proposed', 'confirmed'],
  });
  const existing = earlier.find((b) => b.createdBy === missed.id && b.source === 'auto');
  if (existing) return { ok: true, booking: existing, isNew: false };

  const household = await loadSchedulingHousehold(db, missed.homeId, missed.householdId);
  const contact = household?.contacts.find((c) => c.id === missed.contactId);
  if (!household || !contact?.approved) return { ok: false, reason: 'contact-not-approved' };
  const childIds = missed.childIds.filter((id) => household.household.childIds.includes(id));
  if (childIds.length === 0) return { ok: false, reason: 'no-child' };
  const stored = await loadHomeCalendar(db, missed.homeId);
  if (!stored) return { ok: false, reason: 'no-free-slot' };
  const calendar = withBookableKiosks(stored);
  const { latest } = bookingWindow(calendar.settings, now);
  // A week either side of the horizon, so that the weekly quota sees every call of the weeks it touches.
  const range = { start: new Date(now.getTime() - 8 * DAY_MS), end: new Date(latest.getTime() + 8 * DAY_MS) };
  const bookings = await listSchedulingBookings(db, missed.homeId, range);
  const own = household.windows.filter((w) => w.contactId === contact.id);
  const windows: SchedulingAvailabilityWindow[] =
    own.length > 0 ? own : ALL_WEEK.map((w) => ({ ...w, contactId: contact.id }));
  const slots = freeSlotsFor({ calendar, household: household.household, contact, windows, bookings, now, childIds });
  let tries = 0;
  for (const slot of slots) {
    for (const kioskId of slot.kioskIds) {
      if (tries >= MAX_TRIES) return { ok: false, reason: 'no-free-slot' };
      tries += 1;
      const created = await createBooking(db, {
        homeId: missed.homeId,
        kioskId,
        householdId: missed.householdId,
        contactId: contact.id,
        childIds,
        start: slot.start,
        end: slot.end,
        status: 'proposed',
        source: 'auto',
        createdBy: missed.id,
        now,
      });
      if (created.ok) {
        await deps.events.changed(actor, 'offer', created.booking);
        return { ok: true, booking: created.booking, isNew: true };
      }
      // Another kiosk may still be free for the same slot; a busy child or contact is not.
      if (created.reason !== 'slot-taken') break;
    }
  }
  return { ok: false, reason: 'no-free-slot' };
}

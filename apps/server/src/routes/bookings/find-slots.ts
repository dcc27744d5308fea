import {
  bookingWindow,
  type FreeSlot,
  freeSlotsFor,
  type SchedulingAvailabilityWindow,
  type SchedulingContact,
} from '@affection/core';
import { type Db, listSchedulingBookings } from '@affection/db';
import { bookingScope, calendarFor, contactOf, householdFor } from './booking-context.ts';

/** Which slots to look for. */
export interface FindSlotsRequest {
  homeId: string;
  householdId: string;
  contactId: string;
  /** Default: now. */
  from?: Date;
  /** Default: the end of the booking horizon. */
  to?: Date;
  /** Offer every bookable slot, not only those inside the contact's availability windows (staff only). */
  anyTime?: boolean;
  now: Date;
}

/** The slots found, with the zones to show them in. */
export interface FoundSlots {
  from: Date;
  to: Date;
  homeZone: string;
  contact: SchedulingContact;
  slots: FreeSlot[];
}

const ALL_DAY = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) => ({ weekday, startTime: '00:00', endTime: '24:00' }));

/**
 * The slots a household can book with one contact (see `freeSlotsFor`): bookable from now, a kiosk free, inside the
 * contact's availability windows (unless `anyTime`), no child or the contact busy, weekly quota left. An unapproved
 * contact gets none. A 404 for a household or contact not of the Home.
 */
export async function findSlots(db: Db, request: FindSlotsRequest): Promise<FoundSlots> {
  const { homeId, now } = request;
  const [calendar, household] = await Promise.all([
    calendarFor(db, homeId, now, request.to ?? new Date(now.getTime() + 92 * 86_400_000)),
    householdFor(db, homeId, request.householdId),
  ]);
  const contact = contactOf(household, request.contactId);
  const window = bookingWindow(calendar.settings, now);
  const from = request.from ?? now;
  const to = request.to ?? new Date(window.latest.getTime() + 1);
  const found: FoundSlots = { from, to, homeZone: calendar.settings.timeZone, contact, slots: [] };
  if (household.household.childIds.length === 0 || !contact.approved) return found;
  // Only slots from the earliest bookable start matter; reading bookings from there keeps the query small.
  const scopeStart = new Date(Math.max(from.getTime(), window.earliest.getTime()));
  const scopeEnd = new Date(Math.min(to.getTime(), window.latest.getTime() + 1));
  if (scopeEnd <= scopeStart) return found;
  const bookings = await listSchedulingBookings(db, homeId, bookingScope(scopeStart, scopeEnd));
  const windows: SchedulingAvailabilityWindow[] = request.anyTime
    ? ALL_DAY.map((w) => ({ ...w, contactId: contact.id }))
    : household.windows;
  found.slots = freeSlotsFor({
    calendar,
    household: household.household,
    contact,
    windows,
    bookings,
    now,
    from,
    to,
  });
  return found;
}

import {
  bookingWindow,
  type FreeSlot,
  freeSlotsFor,
  type SchedulingAvailabilityWindow,
  type SchedulingContact,
} from '@affection/core';
import { loadDecisionInputs, quotaUsageFor, requireHouseholdContact } from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';

/** Which slots to look for. */
export interface FindSlotsInput {
  homeId: string;
  householdId: string;
  contactId: string;
  /** Default: now. */
  from?: Date;
  /** Default: the end of the booking horizon. */
  to?: Date;
  /** Offer every bookable slot, not only those inside the contact's availability windows (staff only). */
  anyTime?: boolean;
  /**
   * Offer every bookable slot when the contact has set no windows of their own (a parent booking for themselves:
   * their choosing a time says they can talk then; windows, once set, narrow the list to them).
   */
  anyTimeWithoutWindows?: boolean;
  /** A booking being moved: its own slot, kiosk and quota count are left out, so the rest of its week is offered. */
  exceptBookingId?: string;
  /**
   * A `performance.now()` time: with a read model, the search sees every change committed before it (a request passes
   * its start). Default: when the search is made.
   */
  freshAsOf?: number;
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
 * contact gets none. A household or contact not of the Home is a `not-found` `AppError`. A read: nothing is
 * reported.
 */
export async function findSlots(
  deps: Pick<BookingDeps, 'db' | 'now' | 'slots'>,
  request: FindSlotsInput,
): Promise<FoundSlots> {
  const { db } = deps;
  const now = deps.now();
  const { homeId } = request;
  const from = request.from ?? now;
  // Bookings matter from now (the minimum notice is at least 0) to the end of the range or of any horizon.
  const horizonEnd = request.to ?? new Date(now.getTime() + 92 * 86_400_000);
  const ranges = {
    now,
    until: horizonEnd,
    span: { start: new Date(Math.max(from.getTime(), now.getTime())), end: horizonEnd },
  };
  const inputs =
    (await deps.slots?.decisionInputs(homeId, request.householdId, ranges, request.freshAsOf)) ??
    (await loadDecisionInputs(db, homeId, request.householdId, ranges));
  const { calendar, household } = inputs;
  const bookings = request.exceptBookingId
    ? inputs.bookings.filter((b) => b.id !== request.exceptBookingId)
    : inputs.bookings;
  const contact = requireHouseholdContact(household, request.contactId);
  const window = bookingWindow(calendar.settings, now);
  const to = request.to ?? new Date(window.latest.getTime() + 1);
  const found: FoundSlots = { from, to, homeZone: calendar.settings.timeZone, contact, slots: [] };
  if (household.household.childIds.length === 0 || !contact.approved) return found;
  const hasOwnWindows = household.windows.some((w) => w.contactId === contact.id);
  const windows: SchedulingAvailabilityWindow[] =
    request.anyTime || (request.anyTimeWithoutWindows && !hasOwnWindows)
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
    quotaUsage: quotaUsageFor(calendar, bookings, household.household.childIds),
  });
  return found;
}

import { AppError, isCountedBooking, openingIntervals, wallClockOf } from '@affection/core';
import { createBooking, getHome, isStaffOnDuty } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import {
  bookingScope,
  freeKiosks,
  hasBookableKiosk,
  isKioskAway,
  loadDecisionInputs,
  preferSeenKiosks,
  requireHouseholdChildren,
  requireHouseholdContact,
  slotEnd,
} from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { BookingOutcome } from './booking-outcome.ts';
import { writeOnFreeKiosk } from './write-on-free-kiosk.ts';

/** A "call now" request by the duty teacher. */
export interface BookAdhocInput {
  homeId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  childIds?: readonly string[];
}

/**
 * "Call now": books a call that starts now and lasts one slot, on a free kiosk, for the teacher on duty today (or
 * the Home's admin; else `not-on-duty`), when the Home is open now (`outside-hours` otherwise) and the contact is
 * approved, on a kiosk seen within {@link KIOSK_SEEN_WITHIN_MS} (`kiosk-offline` when every free kiosk has been
 * silent longer). It ignores the slot grid, the minimum notice and the weekly quota (the teacher on duty decides; the call
 * still counts for the week), but never double-books a kiosk, a child or a contact. Reported as `create`.
 */
export async function bookAdhoc(
  deps: BookingDeps,
  actor: BookingActor,
  input: BookAdhocInput,
): Promise<BookingOutcome> {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Only staff can start a call now.');
  if (input.secondContactId && input.secondContactId === input.contactId) {
    throw new AppError('bad-request', 'The second contact must be someone else than the first.');
  }
  const { db } = deps;
  const now = deps.now();
  const { homeId } = input;
  if (actor.role !== 'admin') {
    const home = await getHome(db, homeId);
    if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
    const today = wallClockOf(now, home.timeZone).date;
    if (!(await isStaffOnDuty(db, homeId, actor.staffId, today))) return { ok: false, reason: 'not-on-duty' };
  }
  const inputs = await loadDecisionInputs(db, homeId, input.householdId, {
    now,
    until: new Date(now.getTime() + 86_400_000),
    span: { start: now, end: now },
  });
  const { calendar, household } = inputs;
  const contactIds = [input.contactId, ...(input.secondContactId ? [input.secondContactId] : [])];
  const contacts = contactIds.map((id) => requireHouseholdContact(household, id));
  const childIds = requireHouseholdChildren(household, input.childIds);
  if (childIds.length === 0) return { ok: false, reason: 'no-children' };
  if (contacts.some((c) => !c.approved)) return { ok: false, reason: 'contact-not-approved' };
  const isOpen = openingIntervals(calendar, now, new Date(now.getTime() + 1)).some(
    (i) => i.start.getTime() <= now.getTime() && now.getTime() < i.end.getTime(),
  );
  if (!isOpen) return { ok: false, reason: 'outside-hours' };
  if (!hasBookableKiosk(calendar)) return { ok: false, reason: 'no-enrolled-kiosk' };
  const awayIds = new Set(calendar.kiosks.filter((k) => k.enabled && isKioskAway(k, now)).map((k) => k.id));
  const start = now;
  const end = slotEnd(calendar, start);
  const written = await writeOnFreeKiosk(db, {
    homeId,
    bookings: inputs.bookings,
    scope: bookingScope(now, now),
    attempts: Math.max(1, calendar.kiosks.length),
    choose: (loaded) => {
      const bookings = loaded.filter(
        (b) => isCountedBooking(b) && b.start.getTime() < end.getTime() && b.end.getTime() > start.getTime(),
      );
      if (bookings.some((b) => b.childIds.some((c) => childIds.includes(c))))
        return { ok: false, reason: 'child-busy' };
      if (bookings.some((b) => b.contactIds.some((c) => contactIds.includes(c)))) {
        return { ok: false, reason: 'contact-busy' };
      }
      // A call that starts now goes only to a kiosk that is on now: seen within the last minutes.
      const free = preferSeenKiosks(calendar, freeKiosks(calendar, bookings, start, end), now);
      const kioskId = free.find((id) => !awayIds.has(id));
      if (kioskId) return { ok: true, kioskId };
      return { ok: false, reason: free.length > 0 ? 'kiosk-offline' : 'slot-taken' };
    },
    write: async (kioskId) => {
      const created = await createBooking(db, {
        homeId,
        kioskId,
        householdId: household.household.id,
        contactId: input.contactId,
        secondContactId: input.secondContactId ?? null,
        childIds,
        start,
        end,
        status: 'confirmed',
        source: 'adhoc',
        createdBy: actor.staffId,
        now,
      });
      if (created.ok) return created;
      if (created.reason === 'not-found' || created.reason === 'not-active') {
        throw new AppError('internal', `Unexpected ${created.reason} while creating a booking.`);
      }
      return { ok: false, reason: created.reason };
    },
  });
  if (!written.ok) return written;
  await deps.events.changed(actor, 'create', written.booking);
  return { ...written, timeZone: calendar.settings.timeZone };
}

import { AppError, type BookingStatus, checkBooking } from '@affection/core';
import { type BookingSource, createBooking } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import {
  bookingScope,
  chooseKiosk,
  freeKiosks,
  hasBookableKiosk,
  loadDecisionInputs,
  preferSeenKiosks,
  quotaGuardFor,
  quotaUsageFor,
  requireHouseholdChildren,
  requireHouseholdContact,
  requireKiosk,
  slotEnd,
} from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import type { BookingOutcome } from './booking-outcome.ts';
import { writeOnFreeKiosk } from './write-on-free-kiosk.ts';

/** A slot someone asks to book. */
export interface BookSlotInput {
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
  /** `confirmed`, or `proposed` for a proposal awaiting the parent. */
  status: BookingStatus;
  source: BookingSource;
  /** Staff or contact id of whoever made it (null for the system). */
  createdBy: string | null;
  seriesId?: string | null;
  /** Widens the booking horizon to this many days (a standing series). Default: the Home's horizon. */
  horizonDays?: number;
  /**
   * With the slot read model (`deps.slots`): a `performance.now()` time the decision must see every change committed
   * before (a request passes its start). Default: the call.
   */
  freshAsOf?: number;
}

/**
 * Books one slot of the Home's grid. The slot checker runs first (contact approved and of the household, notice,
 * horizon, grid, kiosk, children, contact, weekly quota; for both contacts of a three-way call); the database has
 * the final word under concurrency. When the server picked the kiosk and another request took it meanwhile, it
 * tries the next free kiosk ({@link writeOnFreeKiosk}). Unknown household, contact, child or kiosk of the Home: a
 * `not-found` `AppError`. The booking is reported as `create`; its audit row is written by the booking's own
 * statement, so a booking never stands without it.
 */
export async function bookSlot(deps: BookingDeps, actor: BookingActor, input: BookSlotInput): Promise<BookingOutcome> {
  if (input.secondContactId && input.secondContactId === input.contactId) {
    throw new AppError('bad-request', 'The second contact must be someone else than the first.');
  }
  const { db } = deps;
  const now = deps.now();
  const { homeId, start } = input;
  // The calendar, the household and the bookings around the slot (its quota week included): from the slot read
  // model when it can vouch for them (everything committed before the request heard), else one round trip. Either
  // way the write is the judge: overlaps and the quota are checked again by the database, under the write locks.
  const scope = bookingScope(start, start);
  const ranges = { now, until: scope.end, span: { start, end: start }, horizonDays: input.horizonDays };
  const inputs =
    (await deps.slots?.decisionInputs(homeId, input.householdId, ranges, input.freshAsOf)) ??
    (await loadDecisionInputs(db, homeId, input.householdId, ranges));
  const { calendar, household } = inputs;
  requireKiosk(calendar, input.kioskId);
  const contacts = [input.contactId, ...(input.secondContactId ? [input.secondContactId] : [])].map((id) =>
    requireHouseholdContact(household, id),
  );
  const childIds = requireHouseholdChildren(household, input.childIds);
  if (childIds.length === 0) return { ok: false, reason: 'no-children' };
  if (!hasBookableKiosk(calendar)) return { ok: false, reason: 'no-enrolled-kiosk' };
  const end = slotEnd(calendar, start);
  const written = await writeOnFreeKiosk(db, {
    homeId,
    bookings: inputs.bookings,
    scope,
    attempts: input.kioskId ? 1 : Math.max(1, calendar.kiosks.length),
    choose: (bookings, isRetry) => {
      const free = preferSeenKiosks(calendar, freeKiosks(calendar, bookings, start, end), now);
      const kioskId = chooseKiosk(calendar, free, input.kioskId, isRetry ? undefined : input.preferredKioskId);
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
      return { ok: true, kioskId };
    },
    write: async (kioskId) => {
      const created = await createBooking(
        db,
        {
          homeId,
          kioskId,
          householdId: household.household.id,
          contactId: input.contactId,
          secondContactId: input.secondContactId ?? null,
          childIds,
          start,
          end,
          status: input.status,
          source: input.source,
          seriesId: input.seriesId ?? null,
          createdBy: input.createdBy,
          now,
        },
        {
          quota: quotaGuardFor(calendar, start),
          // The audit row goes with the booking, in its one statement.
          audit: (booking) => deps.events.auditOf(actor, 'create', booking),
        },
      );
      if (created.ok) return created;
      if (created.reason === 'not-found' || created.reason === 'not-active') {
        throw new AppError('internal', `Unexpected ${created.reason} while creating a booking.`);
      }
      return { ok: false, reason: created.reason };
    },
  });
  if (!written.ok) return written;
  await deps.events.changed(actor, 'create', written.booking, { audited: true });
  return { ...written, timeZone: calendar.settings.timeZone };
}

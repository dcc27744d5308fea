import { AppError, HOLDING_BOOKING_STATUSES } from '@affection/core';
import { type BookingRecord, type Db, listBookings, loadHomeCalendar } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';
import type { BookingDeps } from './booking-deps.ts';
import { type BookingOutsideHours, bookingsOutsideHours } from './bookings-outside-hours.ts';
import { cancelBooking } from './cancel-booking.ts';
import { withBookingTransaction } from './with-booking-transaction.ts';

/** What to do with the calls a change of opening hours leaves outside: cancel them (the families are told) or keep them. */
export type OnBookingsChoice = 'cancel' | 'keep';

/** A change of a Home's opening hours and what to do with the calls it leaves outside. */
export interface ChangeOpeningHoursInput<T> {
  homeId: string;
  /**
   * Writes the change (weekly rules, exceptions) on the database it is given, the transaction of the whole change; it
   * may throw (a clash, a refusal) and then nothing is saved.
   */
  apply: (db: Db) => Promise<T>;
  /**
   * `cancel` or `keep` the calls left outside; absent: refuse with `bookings-affected` when there are any (nothing is
   * saved), so no call is left outside the hours without the admin having chosen.
   */
  onBookings?: OnBookingsChoice;
  /** Kept on each cancelled booking (never logged or audited), e.g. 之家休息（国庆节）. */
  reason: string;
  /** Work everything out, then roll it all back: what the change would do, for a preview. */
  dryRun?: boolean;
}

/** What a change of opening hours did (or, in a dry run, would do). */
export type OpeningChangeOutcome<T> =
  | {
      ok: true;
      /** What `apply` answered. */
      result: T;
      /** Every call the change leaves outside the hours, in time order. */
      outside: BookingOutsideHours[];
      /** Those cancelled (with their new version); the rest of `outside` are kept. */
      cancelled: BookingRecord[];
      timeZone: string;
    }
  /** Calls would be left outside and no choice was given: nothing was saved. */
  | { ok: false; reason: 'bookings-affected'; outside: BookingOutsideHours[]; timeZone: string }
  /** A call to cancel changed meanwhile (started, moved, cancelled by someone else): nothing was saved. */
  | { ok: false; reason: 'bookings-changed'; bookingId: string; outside: BookingOutsideHours[]; timeZone: string };

const FAR_FUTURE = new Date('9999-01-01T00:00:00Z');

/** Carries an outcome out of a transaction that must roll back. */
class RollBack<T> extends Error {
  constructor(readonly outcome: OpeningChangeOutcome<T>) {
    super('opening change rolled back');
  }
}

async function loadHours(db: Db, homeId: string, bookings: readonly BookingRecord[], now: Date) {
  const end = bookings.reduce((latest, b) => Math.max(latest, b.end.getTime()), now.getTime());
  const calendar = await loadHomeCalendar(db, homeId, { start: now, end: new Date(end) });
  if (!calendar) throw new AppError('not-found', 'Your Home no longer exists.');
  return calendar;
}

/**
 * Changes a Home's opening hours in one transaction, together with the calls it leaves outside them: reads the
 * calls that hold a slot and have not ended and the hours before, runs `apply`, reads the hours after, and finds the
 * calls that fitted before and do not now ({@link bookingsOutsideHours}). With `cancel` each of them that has not
 * started is cancelled through {@link cancelBooking} (audited `booking.cancel`, the lifecycle planned after the
 * commit: the family's `booking-cancelled` SMS, the live boards told); calls under way are kept. If any cancellation
 * is refused (the call changed meanwhile) the whole change rolls back (`bookings-changed`). Without a choice and with
 * calls outside, it rolls back (`bookings-affected`). `dryRun` rolls back in every case and answers what would happen.
 *
 * @example
 * await changeOpeningHours(deps, actor, {
 *   homeId, onBookings: 'cancel', reason: '之家休息（国庆节）',
 *   apply: (db) => createOpeningException(db, homeId, { date: '2026-10-01', closed: true }),
 * });
 */
export async function changeOpeningHours<T>(
  deps: BookingDeps,
  actor: BookingActor,
  input: ChangeOpeningHoursInput<T>,
): Promise<OpeningChangeOutcome<T>> {
  const now = deps.now();
  try {
    return await withBookingTransaction(deps, async (tx) => {
      const bookings = await listBookings(tx.db, input.homeId, {
        from: now,
        to: FAR_FUTURE,
        statuses: HOLDING_BOOKING_STATUSES,
      });
      const before = await loadHours(tx.db, input.homeId, bookings, now);
      const result = await input.apply(tx.db);
      const after = await loadHours(tx.db, input.homeId, bookings, now);
      const outside = bookingsOutsideHours(bookings, before, after, now);
      const timeZone = after.settings.timeZone;
      if (outside.length > 0 && !input.onBookings) {
        throw new RollBack<T>({ ok: false, reason: 'bookings-affected', outside, timeZone });
      }
      const cancelled: BookingRecord[] = [];
      if (input.onBookings === 'cancel') {
        for (const { booking } of outside.filter((o) => !o.underWay)) {
          const outcome = await cancelBooking(tx, actor, {
            homeId: input.homeId,
            bookingId: booking.id,
            reason: input.reason,
            expectedVersion: booking.version,
          });
          if (!outcome.ok) {
            throw new RollBack<T>({ ok: false, reason: 'bookings-changed', bookingId: booking.id, outside, timeZone });
          }
          cancelled.push(outcome.booking);
        }
      }
      const outcome: OpeningChangeOutcome<T> = { ok: true, result, outside, cancelled, timeZone };
      if (input.dryRun) throw new RollBack<T>(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.outcome as OpeningChangeOutcome<T>;
    throw error;
  }
}

import type { BookingDeps } from './booking-deps.ts';
import type { TransactionBookingEvents } from './booking-events.ts';

/**
 * Runs `work` in one transaction with deps bound to it: operations write and audit inside it (together with
 * whatever else `work` writes: a webhook's event row, a call's outcome), and the lifecycles of the bookings they
 * changed are planned once it has committed — never for a change that rolled back.
 *
 * @example
 * await withBookingTransaction(deps, async (tx) => {
 *   await storeWebhookEventOnce(tx.db, event);
 *   return cancelBooking(tx, actor, { homeId, bookingId, reason });
 * });
 */
export async function withBookingTransaction<T>(
  deps: BookingDeps,
  work: (deps: BookingDeps) => Promise<T>,
): Promise<T> {
  let events: TransactionBookingEvents | undefined;
  const result = await deps.db.transaction(async (tx) => {
    events = deps.events.within(tx);
    // Not the slot read model: it knows only what is committed, and work in a transaction decides on what the
    // transaction itself wrote (a series' earlier occurrences).
    return work({ ...deps, db: tx, events, slots: null });
  });
  await events?.afterCommit();
  return result;
}

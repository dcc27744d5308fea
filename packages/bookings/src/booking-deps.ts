import type { Db } from '@affection/db';
import type { BookingEvents } from './booking-events.ts';
import type { SlotReadModel } from './slot-read-model.ts';

/** What every booking operation is given: the database, the clock and the port its changes are reported to. */
export interface BookingDeps {
  /** The database, or a transaction of it (see `withBookingTransaction`). */
  db: Db;
  /** The current time; read once per operation. */
  now: () => Date;
  /** Records each change (audit) and plans its lifecycle. Required: a change nobody plans is a bug. */
  events: BookingEvents;
  /** Where slot searches read from when it can vouch for them (see `createSlotReadModel`); absent: the database. */
  slots?: SlotReadModel | null;
}

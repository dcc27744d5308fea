import { type BookingRecord, type Db, type NewAuditEvent, recordAudit } from '@affection/db';
import type { BookingActor } from './booking-actor.ts';

/** What happened to a booking; the audit action is `booking.<verb>`. */
export type BookingVerb =
  | 'create'
  | 'propose'
  | 'offer'
  | 'reschedule'
  | 'cancel'
  | 'confirm'
  | 'decline'
  | 'complete'
  | 'miss'
  | 'extend'
  | 'end-now'
  | 'complete-by-phone'
  | 'add-contact';

/**
 * The port every booking operation reports its changes to. `changed` records the audit event `booking.<verb>` (ids
 * only: kiosk, household, contacts, children, series, version — never a name, a number or a reason's text) and
 * plans the booking's lifecycle (confirmation and reminders, room, ringing, end) at once.
 */
export interface BookingEvents {
  changed(actor: BookingActor, verb: BookingVerb, booking: BookingRecord, options?: ChangedOptions): Promise<void>;
  /**
   * The audit event `changed` would record, for a write that stores it itself, in the same statement or transaction
   * as the change (`createBooking`'s `audit`); report that change with `{ audited: true }`.
   */
  auditOf(actor: BookingActor, verb: BookingVerb, booking: BookingRecord): NewAuditEvent;
  /**
   * The same events for changes made inside the transaction `tx`: the audit rows are written in it (they commit or
   * roll back with the change) and the lifecycle plans wait for {@link TransactionBookingEvents.afterCommit}, because
   * a plan made before the commit would not see the change. See `withBookingTransaction`.
   */
  within(tx: Db): TransactionBookingEvents;
}

/** Options of {@link BookingEvents.changed}. */
export interface ChangedOptions {
  /** The write stored the audit event ({@link BookingEvents.auditOf}) with the change itself. Default false. */
  audited?: boolean;
}

/** {@link BookingEvents} bound to a transaction; call `afterCommit` once it committed. */
export interface TransactionBookingEvents extends BookingEvents {
  /** Plans the lifecycle of every booking changed in the transaction, in order, each once. */
  afterCommit(): Promise<void>;
}

/** What {@link createBookingEvents} needs. */
export interface CreateBookingEventsOptions {
  /** Where audit events are written. */
  db: Db;
  now: () => Date;
  /**
   * Plans (and enqueues) the lifecycle of a booking's current version. Must never throw: the booking is already
   * changed, and a plan that fails now is made by the lifecycle reconciler within a minute.
   */
  planLifecycle: (bookingId: string) => Promise<void>;
  /**
   * Tells the Home's open boards that a booking changed (Redis pub/sub), after its lifecycle is planned. Must never
   * throw; absent = nobody is told (tests, scripts).
   */
  announce?: (homeId: string, bookingId: string) => Promise<void>;
}

/** The ids of a booking an audit event keeps (never a name, a number or a reason's text). */
export function bookingAuditDetails(actor: BookingActor, booking: BookingRecord): Record<string, unknown> {
  return {
    ...(actor.kind === 'family' && actor.via ? { via: actor.via } : {}),
    ...(actor.kind === 'system' ? { job: actor.job } : {}),
    kioskId: booking.kioskId,
    householdId: booking.householdId,
    contactIds: [booking.contactId, ...(booking.secondContactId ? [booking.secondContactId] : [])],
    childIds: booking.childIds,
    seriesId: booking.seriesId,
    version: booking.version,
  };
}

function bookingAuditEvent(at: Date, actor: BookingActor, verb: BookingVerb, booking: BookingRecord): NewAuditEvent {
  return {
    homeId: booking.homeId,
    actorKind: actor.kind,
    actorId: actor.kind === 'staff' ? actor.staffId : actor.kind === 'family' ? actor.contactId : null,
    action: `booking.${verb}`,
    subjectKind: 'booking',
    subjectId: booking.id,
    details: bookingAuditDetails(actor, booking),
    at,
  };
}

/** Events inside a transaction: audit rows in it, ids kept for `afterCommit` (a nested one leaves that to the outer). */
function transactionEvents(
  tx: Db,
  now: () => Date,
  pending: { bookingId: string; homeId: string }[],
  afterCommit: () => Promise<void>,
): TransactionBookingEvents {
  return {
    async changed(actor, verb, booking, options) {
      if (!options?.audited) await recordAudit(tx, bookingAuditEvent(now(), actor, verb, booking));
      if (!pending.some((p) => p.bookingId === booking.id))
        pending.push({ bookingId: booking.id, homeId: booking.homeId });
    },
    auditOf: (actor, verb, booking) => bookingAuditEvent(now(), actor, verb, booking),
    within: (inner) => transactionEvents(inner, now, pending, async () => {}),
    afterCommit,
  };
}

/**
 * The booking events of a process: audit rows in `db`, lifecycle plans through `planLifecycle` (the server's
 * lifecycle producer, or the jobs' own planner and queues).
 *
 * @example
 * const events = createBookingEvents({ db, now, planLifecycle: producer.onBookingChanged });
 * await bookSlot({ db, now, events }, { kind: 'staff', staffId }, request);
 */
export function createBookingEvents(options: CreateBookingEventsOptions): BookingEvents {
  const { now, planLifecycle, announce } = options;
  return {
    async changed(actor, verb, booking, changedOptions) {
      if (!changedOptions?.audited) await recordAudit(options.db, bookingAuditEvent(now(), actor, verb, booking));
      await planLifecycle(booking.id);
      await announce?.(booking.homeId, booking.id);
    },
    auditOf: (actor, verb, booking) => bookingAuditEvent(now(), actor, verb, booking),
    within(tx) {
      const pending: { bookingId: string; homeId: string }[] = [];
      return transactionEvents(tx, now, pending, async () => {
        for (const { bookingId, homeId } of pending.splice(0)) {
          await planLifecycle(bookingId);
          await announce?.(homeId, bookingId);
        }
      });
    },
  };
}

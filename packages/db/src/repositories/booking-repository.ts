import {
  type BookingStatus,
  bookingStatusesBefore,
  CHANGEABLE_BOOKING_STATUSES,
  COUNTED_BOOKING_STATUSES,
  isChangeableBookingStatus,
} from '@affection/core';
import { and, asc, eq, gt, gte, inArray, lt, type SQL, sql, TransactionRollbackError } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from '../database.ts';
import { databaseErrorCode, databaseErrorConstraint, isExclusionViolation, PG_ERROR } from '../database-errors.ts';
import { createId } from '../ids.ts';
import { bookingChildren, bookings } from '../schema/index.ts';
import { selectRows } from '../select-rows.ts';
import type { NewAuditEvent } from './audit-repository.ts';

/** Who or what made a booking: staff in the console, a parent, the weekly scheduler, or a duty teacher's "call now". */
export type BookingSource = 'teacher' | 'parent' | 'auto' | 'adhoc';

/** A booking as repositories return it: one kiosk, one household's children, one or two contacts, one span. */
export interface BookingRecord {
  id: string;
  homeId: string;
  kioskId: string;
  householdId: string;
  contactId: string;
  secondContactId: string | null;
  childIds: string[];
  start: Date;
  end: Date;
  status: BookingStatus;
  source: BookingSource;
  seriesId: string | null;
  /** Starts at 1; every change adds one (reminder jobs key on it). */
  version: number;
  cancelReason: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A write the database refused: the overlap it names, or a child over the weekly quota. */
export type BookingWriteRejection = 'slot-taken' | 'child-busy' | 'contact-busy' | 'quota-reached';

/** Result of a booking write: an expected outcome, never an exception. */
export type BookingWriteResult =
  | { ok: true; booking: BookingRecord }
  | { ok: false; reason: BookingWriteRejection | 'not-found' | 'not-active' };

/**
 * The weekly quota re-checked inside the write's transaction, with the household's row locked so that two
 * concurrent bookings of one household cannot both take the last call of a week.
 */
export interface QuotaGuard {
  /** Start of the quota week (Monday 00:00 in the Home's zone). */
  weekStart: Date;
  /** Start of the next quota week. */
  weekEnd: Date;
  /** Calls a child may have in the week. */
  limit: number;
}

/** A booking to create. */
export interface NewBooking {
  homeId: string;
  kioskId: string;
  householdId: string;
  contactId: string;
  secondContactId?: string | null;
  /** The children on the call; at least one, all of the household (the caller checks). */
  childIds: readonly string[];
  start: Date;
  end: Date;
  status: BookingStatus;
  source: BookingSource;
  seriesId?: string | null;
  createdBy?: string | null;
  now: Date;
}

const CONSTRAINT_REASONS: Record<string, BookingWriteRejection> = {
  bookings_kiosk_no_overlap: 'slot-taken',
  booking_children_no_overlap: 'child-busy',
  booking_contacts_no_overlap: 'contact-busy',
};

/**
 * The refusal an exclusion violation stands for, by constraint name: the kiosk (`slot-taken`), a child
 * (`child-busy`) or a contact (`contact-busy`) already in an overlapping active booking. Undefined for any other
 * error.
 */
export function bookingRejectionOf(error: unknown): BookingWriteRejection | undefined {
  if (!isExclusionViolation(error)) return undefined;
  return CONSTRAINT_REASONS[databaseErrorConstraint(error) ?? ''] ?? 'slot-taken';
}

/** A booking's columns as a {@link BookingRecord} (its children's ids as JSON): read with {@link toBookingRecord}. */
export const bookingColumns = {
  id: bookings.id,
  homeId: bookings.homeId,
  kioskId: bookings.kioskId,
  householdId: bookings.householdId,
  contactId: bookings.contactId,
  secondContactId: bookings.secondContactId,
  childIds: sql<
    string[] | string
  >`coalesce((select json_agg(${bookingChildren.childId} order by ${bookingChildren.childId})
    from ${bookingChildren} where ${bookingChildren.bookingId} = ${bookings.id}), '[]'::json)`,
  start: bookings.startAt,
  end: bookings.endAt,
  status: bookings.status,
  source: bookings.source,
  seriesId: bookings.seriesId,
  version: bookings.version,
  cancelReason: bookings.cancelReason,
  createdBy: bookings.createdBy,
  createdAt: bookings.createdAt,
  updatedAt: bookings.updatedAt,
};

type BookingRow = Omit<BookingRecord, 'childIds'> & { childIds: string[] | string };

/** A row read with {@link bookingColumns} as a {@link BookingRecord}. */
export function toBookingRecord(row: BookingRow): BookingRecord {
  const childIds = typeof row.childIds === 'string' ? (JSON.parse(row.childIds) as string[]) : row.childIds;
  return { ...row, childIds };
}

async function selectBookings(db: Db, where: SQL | undefined): Promise<BookingRecord[]> {
  const rows = await db
    .select(bookingColumns)
    .from(bookings)
    .where(where)
    .orderBy(asc(bookings.startAt), asc(bookings.id));
  return rows.map(toBookingRecord);
}

/** `select … as used`: the most calls any of `childIds` has in the guarded week, other than booking `exceptId`. */
function quotaCount(childIds: readonly string[], guard: QuotaGuard, exceptId: string): SQL {
  const childList = sql.join(
    childIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const statusList = sql.join(
    COUNTED_BOOKING_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  return sql`select coalesce(max(per_child.n), 0)::int as used from (
      select count(*)::int as n
        from booking_children bc join bookings b on b.id = bc.booking_id
       where bc.child_id in (${childList})
         and b.status in (${statusList})
         and b.start_at >= ${guard.weekStart.toISOString()}::timestamptz
         and b.start_at < ${guard.weekEnd.toISOString()}::timestamptz
         and b.id <> ${exceptId}
       group by bc.child_id) per_child`;
}

/** Advisory-lock namespace of booking writes ('bkg'). */
const LOCK_NAMESPACE = 0x626b67;

const HOUR_MS = 3_600_000;

/** A kiosk held over a span, as a write lock sees it. */
interface KioskHold {
  kioskId: string;
  start: Date;
  end: Date;
}

/** `ARRAY[$1, $2, …]::text[]`: a text array as one parameter per element, the same on both drivers. */
function textArray(values: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;
}

/** The advisory-lock keys of {@link writeLocks}, as the `create_booking` function takes them. */
function writeLockKeys(householdId: string, holds: readonly KioskHold[]): string[] {
  const keys = new Set([`household:${householdId}`]);
  for (const hold of holds) {
    const last = Math.floor((hold.end.getTime() - 1) / HOUR_MS);
    for (let hour = Math.floor(hold.start.getTime() / HOUR_MS); hour <= last; hour += 1) {
      keys.add(`kiosk:${hold.kioskId}:${hour}`);
    }
  }
  return [...keys];
}

/**
 * `select …` taking, in one global order, this transaction's advisory locks on a household and on each kiosk for
 * every hour its span touches (two overlapping spans always share an hour). Every write that can put a booking
 * somewhere takes them first: two writes that could collide on a kiosk, a child or a contact then queue instead of
 * each inserting its row and waiting on the other's (a deadlock PostgreSQL only breaks after a second), while
 * bookings of other hours go on in parallel; and the quota count after it sees what the previous holder committed.
 */
function writeLocks(householdId: string, holds: readonly KioskHold[]): SQL {
  const values = sql.join(
    writeLockKeys(householdId, holds)
      .sort()
      .map((key) => sql`(${key})`),
    sql`, `,
  );
  return sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(s.k))
               from (select v.k from (values ${values}) v(k) order by v.k) s`;
}

/** Deadlock (two conflicting writes each waiting on the other's uncommitted row) or serialization failure. */
function isRetryable(error: unknown): boolean {
  const code = databaseErrorCode(error);
  return code === '40P01' || code === PG_ERROR.serializationFailure;
}

/**
 * Runs a booking write: an exclusion violation becomes its reason; a deadlock is retried (two overlapping inserts
 * can each wait on the other's uncommitted row until PostgreSQL aborts one; the retry then meets the committed row
 * and gets its reason).
 */
async function runWrite<R extends { ok: boolean }>(write: () => Promise<R>): Promise<R | BookingWriteResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const reason = bookingRejectionOf(error);
      if (reason) return { ok: false, reason };
      if (attempt < 5 && isRetryable(error)) continue;
      throw error;
    }
  }
}

/** The check a quota refusal names (raised by the `create_booking` function; no table constraint has this name). */
const QUOTA_CONSTRAINT = 'bookings_weekly_quota';

/** Options of {@link createBooking}. */
export interface CreateBookingOptions {
  /** Re-count the weekly quota after the locks, inside the write (`quota-reached`). Default: not counted. */
  quota?: QuotaGuard;
  /**
   * The audit event of the change, written by the same statement as the booking: a booking is never left without
   * its audit row, nor an audit row without its booking. Default: none written here (the caller records it).
   */
  audit?: (booking: BookingRecord) => NewAuditEvent;
}

/**
 * Creates a booking, its link rows and (with `audit`) its audit row in one statement, the `create_booking`
 * function of migration 0015: one round trip, where it took five (begin, locks and booking, link rows and quota,
 * commit, audit). It takes the write locks first (household, kiosk hours; see {@link writeLocks}). The database's
 * exclusion constraints refuse a kiosk, a child or a contact in two overlapping active bookings; that comes back as
 * `slot-taken`, `child-busy` or `contact-busy`, never as an exception. With `quota`, the week's calls are counted
 * again after the locks (`quota-reached`), and nothing of the write is left. Inside a transaction it runs under a
 * savepoint, so that a refusal leaves the rest of the transaction as it was.
 *
 * @example await createBooking(db, { homeId, kioskId, householdId, contactId, childIds, start, end,
 *   status: 'confirmed', source: 'teacher', now }) // { ok: true, booking } or { ok: false, reason: 'slot-taken' }
 */
export async function createBooking(
  db: Db,
  input: NewBooking,
  options: CreateBookingOptions = {},
): Promise<BookingWriteResult> {
  if (input.childIds.length === 0) throw new RangeError('a booking needs at least one child');
  const booking: BookingRecord = {
    id: createId('booking'),
    homeId: input.homeId,
    kioskId: input.kioskId,
    householdId: input.householdId,
    contactId: input.contactId,
    secondContactId: input.secondContactId ?? null,
    childIds: [...input.childIds].sort(),
    start: input.start,
    end: input.end,
    status: input.status,
    source: input.source,
    seriesId: input.seriesId ?? null,
    version: 1,
    cancelReason: null,
    createdBy: input.createdBy ?? null,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const { quota } = options;
  const audit = options.audit?.(booking);
  const auditRow = audit
    ? JSON.stringify({
        id: createId('auditEvent'),
        home_id: audit.homeId,
        actor_kind: audit.actorKind,
        actor_id: audit.actorId,
        action: audit.action,
        subject_kind: audit.subjectKind,
        subject_id: audit.subjectId,
        details: audit.details,
        at: (audit.at ?? input.now).toISOString(),
      })
    : null;
  const at = (instant: Date | undefined) => (instant ? instant.toISOString() : null);
  const statement = sql`select create_booking(
      ${LOCK_NAMESPACE}::integer,
      ${textArray(writeLockKeys(input.householdId, [{ kioskId: input.kioskId, start: input.start, end: input.end }]))},
      ${booking.id}, ${booking.homeId}, ${booking.kioskId}, ${booking.householdId}, ${booking.contactId},
      ${booking.secondContactId}::text, ${textArray(booking.childIds)},
      ${at(input.start)}::timestamptz, ${at(input.end)}::timestamptz, ${booking.status}, ${booking.source},
      ${booking.seriesId}::text, ${booking.createdBy}::text, ${at(input.now)}::timestamptz,
      ${textArray(COUNTED_BOOKING_STATUSES)}, ${at(quota?.weekStart)}::timestamptz,
      ${at(quota?.weekEnd)}::timestamptz, ${quota?.limit ?? null}::integer, ${auditRow}::jsonb)`;
  return runWrite(async () => {
    try {
      // Alone it is its own transaction; inside one, a savepoint keeps a refusal from aborting the caller's.
      if (db instanceof PgTransaction) await db.transaction((tx) => tx.execute(statement));
      else await db.execute(statement);
    } catch (error) {
      if (databaseErrorConstraint(error) === QUOTA_CONSTRAINT) return { ok: false, reason: 'quota-reached' };
      throw error;
    }
    return { ok: true, booking };
  });
}

/** One booking of a Home, or null (also for another Home's). */
export async function getBooking(db: Db, homeId: string, bookingId: string): Promise<BookingRecord | null> {
  const [row] = await selectBookings(db, and(eq(bookings.id, bookingId), eq(bookings.homeId, homeId)));
  return row ?? null;
}

/** Options of {@link listBookings}. */
export interface ListBookingsOptions {
  /** Bookings ending after this instant. */
  from: Date;
  /** Bookings starting before this instant. */
  to: Date;
  householdId?: string;
  /** Default: every status. */
  statuses?: readonly BookingStatus[];
}

/** A Home's bookings overlapping `[from, to)`, by start; optionally one household's, optionally some statuses. */
export async function listBookings(db: Db, homeId: string, options: ListBookingsOptions): Promise<BookingRecord[]> {
  const conditions: SQL[] = [
    eq(bookings.homeId, homeId),
    lt(bookings.startAt, options.to),
    gt(bookings.endAt, options.from),
  ];
  if (options.householdId) conditions.push(eq(bookings.householdId, options.householdId));
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    conditions.push(inArray(bookings.status, [...options.statuses]));
  }
  return selectBookings(db, and(...conditions));
}

/** A household's bookings from `from` on (default: all), by start. */
export async function listBookingsOfHousehold(
  db: Db,
  homeId: string,
  householdId: string,
  options: { from?: Date; statuses?: readonly BookingStatus[] } = {},
): Promise<BookingRecord[]> {
  const conditions: SQL[] = [eq(bookings.homeId, homeId), eq(bookings.householdId, householdId)];
  if (options.from) conditions.push(gt(bookings.endAt, options.from));
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    conditions.push(inArray(bookings.status, [...options.statuses]));
  }
  return selectBookings(db, and(...conditions));
}

/** The occurrences of a standing weekly series, by start; optionally only those starting at or after `from`. */
export async function listBookingsOfSeries(
  db: Db,
  homeId: string,
  seriesId: string,
  options: { from?: Date; statuses?: readonly BookingStatus[] } = {},
): Promise<BookingRecord[]> {
  const conditions: SQL[] = [eq(bookings.homeId, homeId), eq(bookings.seriesId, seriesId)];
  if (options.from) conditions.push(gte(bookings.startAt, options.from));
  if (options.statuses) {
    if (options.statuses.length === 0) return [];
    conditions.push(inArray(bookings.status, [...options.statuses]));
  }
  return selectBookings(db, and(...conditions));
}

/** A new span (and kiosk) for a booking. */
export interface BookingMove {
  kioskId: string;
  start: Date;
  end: Date;
  now: Date;
  /** Refuse (`not-active`) unless the booking still has this version. Default: any version. */
  expectedVersion?: number;
}

/**
 * Locks a booking of the Home for the rest of the transaction and gives what a change of it needs, or why it cannot be
 * changed: `not-found` (no such booking in the Home), `not-active` (its status no longer changes, or its version moved
 * on from `expectedVersion`).
 */
async function lockChangeableBooking(tx: Db, homeId: string, bookingId: string, expectedVersion: number | undefined) {
  const [current] = await tx
    .select({
      status: bookings.status,
      version: bookings.version,
      householdId: bookings.householdId,
      kioskId: bookings.kioskId,
      contactId: bookings.contactId,
      secondContactId: bookings.secondContactId,
      start: bookings.startAt,
      end: bookings.endAt,
      childIds: bookingColumns.childIds,
    })
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.homeId, homeId)))
    .for('update');
  if (!current) return 'not-found' as const;
  if (
    !isChangeableBookingStatus(current.status) ||
    (expectedVersion !== undefined && expectedVersion !== current.version)
  ) {
    return 'not-active' as const;
  }
  return current;
}

/**
 * Moves a `proposed` or `confirmed` booking to another span and kiosk, bumping its version; the link rows follow by
 * trigger, so the exclusion constraints check the new span for kiosk, children and contacts. `not-found` for no such
 * booking in the Home, `not-active` when it can no longer be moved (or its version moved on).
 */
export async function rescheduleBooking(
  db: Db,
  homeId: string,
  bookingId: string,
  move: BookingMove,
  options: { quota?: QuotaGuard } = {},
): Promise<BookingWriteResult> {
  const { quota } = options;
  return runWrite(async () => {
    try {
      const outcome = await db.transaction(async (tx): Promise<'ok' | 'not-found' | 'not-active'> => {
        const current = await lockChangeableBooking(tx, homeId, bookingId, move.expectedVersion);
        if (typeof current === 'string') return current;
        const childIds =
          typeof current.childIds === 'string' ? (JSON.parse(current.childIds) as string[]) : current.childIds;
        await tx.execute(
          writeLocks(current.householdId, [
            { kioskId: current.kioskId, start: current.start, end: current.end },
            { kioskId: move.kioskId, start: move.start, end: move.end },
          ]),
        );
        // The move and the week's calls in one statement, its snapshot taken after the locks; the link rows follow
        // the booking by trigger, so the exclusion constraints check the new span for kiosk, children and contacts.
        const [counted] = await selectRows<{ used: number }>(
          tx,
          sql`with moved as (
                update bookings set kiosk_id = ${move.kioskId},
                       start_at = ${move.start.toISOString()}::timestamptz, end_at = ${move.end.toISOString()}::timestamptz,
                       version = version + 1, updated_at = ${move.now.toISOString()}::timestamptz
                 where id = ${bookingId})
              ${quota && childIds.length > 0 ? quotaCount(childIds, quota, bookingId) : sql`select 0 as used`}`,
        );
        if (quota && (counted?.used ?? 0) >= quota.limit) tx.rollback();
        return 'ok';
      });
      if (outcome !== 'ok') return { ok: false, reason: outcome };
    } catch (error) {
      if (error instanceof TransactionRollbackError) return { ok: false, reason: 'quota-reached' };
      throw error;
    }
    const booking = await getBooking(db, homeId, bookingId);
    return booking ? { ok: true, booking } : { ok: false, reason: 'not-found' };
  });
}

/** Why a second contact could not be added: besides a write's refusals, one is already on it, or it is the first. */
export type SecondContactWriteResult =
  | BookingWriteResult
  | { ok: false; reason: 'has-second-contact' | 'same-contact' };

/**
 * Adds `contactId` as the second contact of a `proposed` or `confirmed` booking that has none (a three-way call),
 * bumping its version, and writes its `booking_contacts` row as a booking made with two contacts has it: the
 * exclusion constraint refuses a contact already in an overlapping active call (`contact-busy`). `not-found` for
 * no such booking in the Home, `not-active` when it can no longer be changed (or its version moved on),
 * `has-second-contact` when it already has one, `same-contact` for its first contact. The caller checks that the
 * contact is an approved one of the booking's household.
 */
export async function addSecondBookingContact(
  db: Db,
  homeId: string,
  bookingId: string,
  change: { contactId: string; now: Date; expectedVersion?: number },
): Promise<SecondContactWriteResult> {
  return runWrite(async (): Promise<SecondContactWriteResult> => {
    const refusal = await db.transaction(
      async (tx): Promise<'not-found' | 'not-active' | 'has-second-contact' | 'same-contact' | null> => {
        const current = await lockChangeableBooking(tx, homeId, bookingId, change.expectedVersion);
        if (typeof current === 'string') return current;
        if (current.contactId === change.contactId) return 'same-contact';
        if (current.secondContactId !== null) return 'has-second-contact';
        await tx.execute(
          writeLocks(current.householdId, [{ kioskId: current.kioskId, start: current.start, end: current.end }]),
        );
        await tx
          .update(bookings)
          .set({ secondContactId: change.contactId, version: sql`${bookings.version} + 1`, updatedAt: change.now })
          .where(eq(bookings.id, bookingId));
        // The link row's span and `active` are filled from the booking by trigger, whatever we write.
        await tx.execute(sql`insert into booking_contacts (booking_id, contact_id, start_at, end_at)
            values (${bookingId}, ${change.contactId}, ${current.start.toISOString()}::timestamptz,
                    ${current.end.toISOString()}::timestamptz)`);
        return null;
      },
    );
    if (refusal) return { ok: false, reason: refusal };
    const booking = await getBooking(db, homeId, bookingId);
    return booking ? { ok: true, booking } : { ok: false, reason: 'not-found' };
  });
}

/**
 * Changes a booking's status along the core's `BOOKING_TRANSITIONS`, bumping its version (`cancelReason` is kept for a
 * cancellation and a declined proposal). `not-active` when the transition is not allowed from the current status.
 */
export async function setBookingStatus(
  db: Db,
  homeId: string,
  bookingId: string,
  change: { status: BookingStatus; now: Date; cancelReason?: string | null; expectedVersion?: number },
): Promise<BookingWriteResult> {
  const allowedFrom = bookingStatusesBefore(change.status);
  return runWrite(async () => {
    const conditions: SQL[] = [eq(bookings.id, bookingId), eq(bookings.homeId, homeId)];
    if (allowedFrom.length > 0) conditions.push(inArray(bookings.status, allowedFrom));
    else conditions.push(sql`false`);
    if (change.expectedVersion !== undefined) conditions.push(eq(bookings.version, change.expectedVersion));
    const updated = await db
      .update(bookings)
      .set({
        status: change.status,
        version: sql`${bookings.version} + 1`,
        updatedAt: change.now,
        ...(change.status === 'cancelled' || change.status === 'declined'
          ? { cancelReason: change.cancelReason ?? null }
          : {}),
      })
      .where(and(...conditions))
      .returning({ id: bookings.id });
    const booking = await getBooking(db, homeId, bookingId);
    if (!booking) return { ok: false, reason: 'not-found' };
    return updated.length > 0 ? { ok: true, booking } : { ok: false, reason: 'not-active' };
  });
}

/**
 * Cancels a `proposed` or `confirmed` booking with a reason (kept on the booking; never logged), bumping its
 * version. `not-active` when it already ended, started or was cancelled.
 */
export async function cancelBooking(
  db: Db,
  homeId: string,
  bookingId: string,
  change: { reason: string; now: Date; expectedVersion?: number },
): Promise<BookingWriteResult> {
  return setBookingStatus(db, homeId, bookingId, {
    status: 'cancelled',
    now: change.now,
    cancelReason: change.reason,
    expectedVersion: change.expectedVersion,
  });
}

/**
 * Cancels every `proposed` or `confirmed` occurrence of a series starting at or after `from`, in one statement,
 * bumping each version. Returns the cancelled bookings.
 */
export async function cancelSeries(
  db: Db,
  homeId: string,
  seriesId: string,
  change: { reason: string; from: Date; now: Date },
): Promise<BookingRecord[]> {
  const updated = await db
    .update(bookings)
    .set({
      status: 'cancelled',
      cancelReason: change.reason,
      version: sql`${bookings.version} + 1`,
      updatedAt: change.now,
    })
    .where(
      and(
        eq(bookings.homeId, homeId),
        eq(bookings.seriesId, seriesId),
        inArray(bookings.status, [...CHANGEABLE_BOOKING_STATUSES]),
        gte(bookings.startAt, change.from),
      ),
    )
    .returning({ id: bookings.id });
  if (updated.length === 0) return [];
  return selectBookings(
    db,
    inArray(
      bookings.id,
      updated.map((u) => u.id),
    ),
  );
}

/** A new id for a standing weekly series (`ser_…`). */
export function createSeriesId(): string {
  return createId('series');
}

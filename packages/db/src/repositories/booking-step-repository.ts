import type { Contact, Home } from '@affection/core';
import { and, asc, eq, gt, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { bookingSteps, bookings, contacts, homes, smsMessages } from '../schema/index.ts';
import { selectRows } from '../select-rows.ts';
import { type BookingRecord, bookingColumns, toBookingRecord } from './booking-repository.ts';
import type { SmsMessageRecord } from './sms-message-repository.ts';

/** Where a step stands: waiting for its time, being run, or finished one way or another. */
export type BookingStepState = 'pending' | 'running' | 'done' | 'cancelled' | 'failed';

/** One `booking_steps` row. */
export interface BookingStepRecord {
  id: string;
  bookingId: string;
  kind: string;
  bookingVersion: number;
  dueAt: Date;
  state: BookingStepState;
  /** Claims so far. */
  attempts: number;
  /**
   * The last word on the step: why it failed, was cancelled or is retried, or, for a `done` step, its outcome
   * (`answered`, `unavailable`, …). Never personal data.
   */
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A step to store. */
export interface NewBookingStep {
  bookingId: string;
  kind: string;
  bookingVersion: number;
  dueAt: Date;
  /** Default `pending`; a step already done by an earlier version is stored `done`. */
  state?: BookingStepState;
  lastError?: string | null;
}

/** What planning a booking's lifecycle reads: the booking, its Home, its contacts and its children's names. */
export interface BookingPlanContext {
  booking: BookingRecord;
  /** The Home's name and zone (for the messages) and its waits (for when to ring a parent, how long a kiosk waits). */
  home: Pick<Home, 'id' | 'name' | 'timeZone' | 'parentJoinWaitMinutes' | 'kioskWaitMinutes'>;
  /** The booking's (first) contact; null if it is gone. */
  contact: Contact | null;
  /** The second contact of a three-way call; null when there is none (or it is gone). */
  secondContact: Contact | null;
  /** Given names of the booking's children, as parents call them (erased children left out), by id. */
  childNames: string[];
  /** Whether steps of the booking's current version are stored (its lifecycle is planned). */
  hasCurrentSteps: boolean;
}

/** A JSON array column, as node-postgres (parsed) or PGlite (parsed or text) hands it over. */
function jsonArray(value: string[] | string): string[] {
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : value;
}

/**
 * Reads a booking (any Home) with what its lifecycle needs, in one statement (booking, Home, both contacts,
 * children's names, whether its current version is planned). With `lock`, the booking's row is locked (`for update`) first, in a statement of its own, so
 * that within a transaction two planners of one booking queue behind each other and a booking write waits for the
 * plan, and the read after it sees what the previous holder committed. Null for an unknown booking.
 */
export async function loadBookingPlanContext(
  db: Db,
  bookingId: string,
  options: { lock?: boolean } = {},
): Promise<BookingPlanContext | null> {
  if (options.lock) {
    const [locked] = await selectRows<{ id: string }>(
      db,
      sql`select id from bookings where id = ${bookingId} for update`,
    );
    if (!locked) return null;
  }
  const secondContacts = alias(contacts, 'second_contact');
  const [row] = await db
    .select({
      booking: bookingColumns,
      childNames: sql<string[] | string>`coalesce((select json_agg(c.given_name order by c.id)
          from booking_children bc join children c on c.id = bc.child_id
         where bc.booking_id = ${bookings.id} and c.erased_at is null), '[]'::json)`,
      home: {
        id: homes.id,
        name: homes.name,
        timeZone: homes.timeZone,
        parentJoinWaitMinutes: homes.parentJoinWaitMinutes,
        kioskWaitMinutes: homes.kioskWaitMinutes,
      },
      contact: contacts,
      secondContact: secondContacts,
      hasCurrentSteps: sql<boolean>`exists (select 1 from booking_steps s
          where s.booking_id = ${bookings.id} and s.booking_version = ${bookings.version})`,
    })
    .from(bookings)
    .innerJoin(homes, eq(homes.id, bookings.homeId))
    .leftJoin(contacts, and(eq(contacts.id, bookings.contactId), eq(contacts.homeId, bookings.homeId)))
    .leftJoin(
      secondContacts,
      and(eq(secondContacts.id, bookings.secondContactId), eq(secondContacts.homeId, bookings.homeId)),
    )
    .where(eq(bookings.id, bookingId));
  if (!row) return null;
  return {
    booking: toBookingRecord(row.booking),
    home: row.home,
    contact: row.contact,
    secondContact: row.secondContact,
    childNames: jsonArray(row.childNames),
    hasCurrentSteps: row.hasCurrentSteps,
  };
}

/** Every step of a booking, all versions, by due time. */
export async function listBookingSteps(db: Db, bookingId: string): Promise<BookingStepRecord[]> {
  return db
    .select()
    .from(bookingSteps)
    .where(eq(bookingSteps.bookingId, bookingId))
    .orderBy(asc(bookingSteps.dueAt), asc(bookingSteps.bookingVersion), asc(bookingSteps.kind));
}

/** One step by id, or null. */
export async function getBookingStep(db: Db, stepId: string): Promise<BookingStepRecord | null> {
  const [row] = await db.select().from(bookingSteps).where(eq(bookingSteps.id, stepId));
  return row ?? null;
}

/**
 * Stores steps; a step whose (booking, kind, version) is already stored is left as it is. Returns the steps
 * stored now.
 */
export async function insertBookingSteps(
  db: Db,
  steps: readonly NewBookingStep[],
  now: Date,
): Promise<BookingStepRecord[]> {
  if (steps.length === 0) return [];
  return db
    .insert(bookingSteps)
    .values(
      steps.map((step) => ({
        id: createId('bookingStep'),
        bookingId: step.bookingId,
        kind: step.kind,
        bookingVersion: step.bookingVersion,
        dueAt: step.dueAt,
        state: step.state ?? 'pending',
        lastError: step.lastError ?? null,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .onConflictDoNothing()
    .returning();
}

/** Cancels a booking's `pending` steps of versions before `beforeVersion`, noting why. Returns them. */
export async function cancelPendingBookingSteps(
  db: Db,
  bookingId: string,
  change: { beforeVersion: number; reason: string; now: Date },
): Promise<BookingStepRecord[]> {
  return db
    .update(bookingSteps)
    .set({ state: 'cancelled', lastError: change.reason, updatedAt: change.now })
    .where(
      and(
        eq(bookingSteps.bookingId, bookingId),
        eq(bookingSteps.state, 'pending'),
        lt(bookingSteps.bookingVersion, change.beforeVersion),
      ),
    )
    .returning();
}

/**
 * Claims a due step in one statement: `pending` (or `running` but claimed before `staleBefore`: its runner is
 * gone) → `running`, `attempts + 1`, `updated_at = now`. Only one caller wins. Null when the step is not claimable
 * or is due later than `now + earlyMs`.
 */
export async function claimBookingStep(
  db: Db,
  stepId: string,
  claim: { now: Date; earlyMs: number; staleBefore: Date },
): Promise<BookingStepRecord | null> {
  const [row] = await db
    .update(bookingSteps)
    .set({ state: 'running', attempts: sql`${bookingSteps.attempts} + 1`, updatedAt: claim.now })
    .where(
      and(
        eq(bookingSteps.id, stepId),
        or(
          eq(bookingSteps.state, 'pending'),
          and(eq(bookingSteps.state, 'running'), lt(bookingSteps.updatedAt, claim.staleBefore)),
        ),
        lte(bookingSteps.dueAt, new Date(claim.now.getTime() + claim.earlyMs)),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Finishes a `running` step: `done` (with its outcome as the note), `failed` or `cancelled` (with the reason).
 * `attempts` says which claim finishes it: a claim taken over since changes nothing. Returns whether it changed.
 */
export async function finishBookingStep(
  db: Db,
  stepId: string,
  finish: { state: 'done' | 'failed' | 'cancelled'; note: string | null; attempts: number; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(bookingSteps)
    .set({ state: finish.state, lastError: finish.note, updatedAt: finish.now })
    .where(
      and(eq(bookingSteps.id, stepId), eq(bookingSteps.state, 'running'), eq(bookingSteps.attempts, finish.attempts)),
    )
    .returning({ id: bookingSteps.id });
  return rows.length > 0;
}

/** Gives a `running` step back (`pending`) after a failure that may pass, noting it; see {@link finishBookingStep}. */
export async function releaseBookingStep(
  db: Db,
  stepId: string,
  release: { note: string; attempts: number; now: Date },
): Promise<boolean> {
  const rows = await db
    .update(bookingSteps)
    .set({ state: 'pending', lastError: release.note, updatedAt: release.now })
    .where(
      and(eq(bookingSteps.id, stepId), eq(bookingSteps.state, 'running'), eq(bookingSteps.attempts, release.attempts)),
    )
    .returning({ id: bookingSteps.id });
  return rows.length > 0;
}

/** Options of {@link listStepsToRun}. */
export interface ListStepsToRunOptions {
  /** `pending` steps due by this instant (overdue ones included). */
  dueBy: Date;
  /** `running` steps claimed before this instant: their runner is presumed gone. */
  staleBefore: Date;
  limit: number;
  /** Keyset paging: rows after this (due time, id). */
  after?: { dueAt: Date; id: string };
}

/** Steps that should have a job: `pending` and due by `dueBy`, or `running` and stale; by due time, then id. */
export async function listStepsToRun(db: Db, options: ListStepsToRunOptions): Promise<BookingStepRecord[]> {
  const conditions: SQL[] = [
    or(
      and(eq(bookingSteps.state, 'pending'), lte(bookingSteps.dueAt, options.dueBy)),
      and(eq(bookingSteps.state, 'running'), lt(bookingSteps.updatedAt, options.staleBefore)),
    ) as SQL,
  ];
  if (options.after) {
    const { dueAt, id } = options.after;
    conditions.push(
      or(gt(bookingSteps.dueAt, dueAt), and(eq(bookingSteps.dueAt, dueAt), gt(bookingSteps.id, id))) as SQL,
    );
  }
  return db
    .select()
    .from(bookingSteps)
    .where(and(...conditions))
    .orderBy(asc(bookingSteps.dueAt), asc(bookingSteps.id))
    .limit(options.limit);
}

/** Options of {@link listBookingsToPlan}. */
export interface ListBookingsToPlanOptions {
  /** Statuses whose current version must have steps. */
  statuses: readonly string[];
  /** Only bookings ending after this instant need steps (older ones are history). */
  endsAfter: Date;
  limit: number;
}

/**
 * Bookings whose plan is missing or stale: in one of `statuses`, ending after `endsAfter`, with no step of their
 * current version; or (any status) with a `pending` step of an older version. By start.
 */
export async function listBookingsToPlan(db: Db, options: ListBookingsToPlanOptions): Promise<string[]> {
  if (options.statuses.length === 0) return [];
  const statusList = sql.join(
    options.statuses.map((status) => sql`${status}`),
    sql`, `,
  );
  const rows = await selectRows<{ id: string }>(
    db,
    sql`select b.id from bookings b
         where (b.status in (${statusList})
                and b.end_at > ${options.endsAfter.toISOString()}::timestamptz
                and not exists (select 1 from booking_steps s
                                 where s.booking_id = b.id and s.booking_version = b.version))
            or exists (select 1 from booking_steps s
                        where s.booking_id = b.id and s.state = 'pending' and s.booking_version < b.version)
         order by b.start_at, b.id
         limit ${options.limit}`,
  );
  return rows.map((row) => row.id);
}

/** An outgoing message of a booking, as its lifecycle sees it: the few fields of the one SMS record it needs. */
export type BookingSmsRecord = Pick<SmsMessageRecord, 'id' | 'dedupeKey' | 'status' | 'template' | 'dueAt'>;

/** A booking's outgoing messages, by due time. */
export async function listSmsOfBooking(db: Db, bookingId: string): Promise<BookingSmsRecord[]> {
  return db
    .select({
      id: smsMessages.id,
      dedupeKey: smsMessages.dedupeKey,
      status: smsMessages.status,
      template: smsMessages.template,
      dueAt: smsMessages.dueAt,
    })
    .from(smsMessages)
    .where(and(eq(smsMessages.bookingId, bookingId), eq(smsMessages.direction, 'out')))
    .orderBy(asc(smsMessages.dueAt), asc(smsMessages.createdAt), asc(smsMessages.id));
}

/**
 * Cancels a booking's messages with these dedupe keys that are still `pending` (not yet claimed by a sender).
 * Returns the ids cancelled.
 */
export async function cancelPendingSmsOfBooking(
  db: Db,
  bookingId: string,
  change: { dedupeKeys: readonly string[]; now: Date },
): Promise<string[]> {
  if (change.dedupeKeys.length === 0) return [];
  const rows = await db
    .update(smsMessages)
    .set({ status: 'cancelled', updatedAt: change.now })
    .where(
      and(
        eq(smsMessages.bookingId, bookingId),
        eq(smsMessages.direction, 'out'),
        eq(smsMessages.status, 'pending'),
        inArray(smsMessages.dedupeKey, [...change.dedupeKeys]),
      ),
    )
    .returning({ id: smsMessages.id });
  return rows.map((row) => row.id);
}

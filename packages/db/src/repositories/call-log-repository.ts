import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { bookingChildren, bookings, callLogChildren, callLogs, webhookEvents } from '../schema/index.ts';
import { type BookingRecord, getBooking } from './booking-repository.ts';

/** What a call came to; null until decided at the call's end. */
export type CallOutcome = 'completed' | 'parent-no-show' | 'child-no-show' | 'failed';

/** A stored LiveKit event of one room (a booking's), as the call log is rebuilt from it. */
export interface StoredRoomEvent {
  /** Our row id (`whe_…`). */
  id: string;
  /** LiveKit's event id. */
  eventId: string;
  eventType: string;
  /** What the webhook kept: ids, types and times only. */
  payload: unknown;
  receivedAt: Date;
  processedAt: Date | null;
}

/** A call log as it stands, with the room's stored events, handed to a rebuild. */
export interface CallLogState {
  callLogId: string;
  homeId: string;
  bookingId: string;
  outcome: CallOutcome | null;
  /** `call_logs.participants` as stored (the kiosk's reports, the room API's view, the last summary). */
  participants: unknown[];
  /** Every stored LiveKit event of the room, in the order received. */
  events: StoredRoomEvent[];
}

/** What a rebuild writes back. */
export interface CallLogContent {
  participants: unknown[];
  startedAt: Date | null;
  endedAt: Date | null;
  overlapSeconds: number;
}

/** Which call log to rebuild. */
export interface RebuildCallLogTarget {
  homeId: string;
  bookingId: string;
  now: Date;
}

function participantsOf(value: unknown): unknown[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed : [];
}

/**
 * A booking by id in whichever Home it is (a LiveKit room is named after its booking and carries no Home we trust),
 * or null.
 */
export async function findCallBooking(db: Db, bookingId: string): Promise<BookingRecord | null> {
  const [row] = await db.select({ homeId: bookings.homeId }).from(bookings).where(eq(bookings.id, bookingId));
  return row ? getBooking(db, row.homeId, bookingId) : null;
}

/**
 * Rebuilds a booking's call log in one transaction: the log is created when missing and locked (the kiosk's reports
 * take the same lock), the room's stored LiveKit events are read AFTER the lock — so of two rebuilds the later one
 * sees every event the earlier saw — `build` computes the new content from that state, and the events read are
 * marked processed. The booking's children (not erased) are linked to the log. The outcome is not touched.
 *
 * @example await rebuildCallLog(db, { homeId, bookingId, now }, (state) => summarize(state))
 */
export async function rebuildCallLog<T extends CallLogContent>(
  db: Db,
  target: RebuildCallLogTarget,
  build: (state: CallLogState) => T,
): Promise<{ state: CallLogState; content: T }> {
  const { homeId, bookingId, now } = target;
  return db.transaction(async (tx) => {
    await tx
      .insert(callLogs)
      .values({ id: createId('callLog'), homeId, bookingId, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: callLogs.bookingId });
    const [log] = await tx
      .select({ id: callLogs.id, outcome: callLogs.outcome, participants: callLogs.participants })
      .from(callLogs)
      .where(and(eq(callLogs.bookingId, bookingId), eq(callLogs.homeId, homeId)))
      .for('update');
    if (!log) throw new Error(`The call log of ${bookingId} belongs to another Home`);
    const events = await tx
      .select({
        id: webhookEvents.id,
        eventId: webhookEvents.eventId,
        eventType: webhookEvents.eventType,
        payload: webhookEvents.payload,
        receivedAt: webhookEvents.receivedAt,
        processedAt: webhookEvents.processedAt,
      })
      .from(webhookEvents)
      .where(and(eq(webhookEvents.source, 'livekit'), eq(webhookEvents.subject, bookingId)))
      .orderBy(asc(webhookEvents.receivedAt), asc(webhookEvents.id));
    const state: CallLogState = {
      callLogId: log.id,
      homeId,
      bookingId,
      outcome: log.outcome,
      participants: participantsOf(log.participants),
      events,
    };
    const content = build(state);
    await tx
      .update(callLogs)
      .set({
        participants: content.participants,
        startedAt: content.startedAt,
        endedAt: content.endedAt,
        overlapSeconds: content.overlapSeconds,
        updatedAt: now,
      })
      .where(eq(callLogs.id, log.id));
    const unprocessed = events.filter((e) => e.processedAt === null).map((e) => e.id);
    if (unprocessed.length > 0) {
      await tx
        .update(webhookEvents)
        .set({ processedAt: now })
        .where(and(inArray(webhookEvents.id, unprocessed), isNull(webhookEvents.processedAt)));
    }
    await tx.execute(sql`insert into call_log_children (call_log_id, child_id)
      select ${log.id}, bc.child_id from booking_children bc join children c on c.id = bc.child_id
       where bc.booking_id = ${bookingId} and c.erased_at is null
      on conflict do nothing`);
    return { state, content };
  });
}

/** Records what a call came to. Returns false when the booking has no call log in this Home. */
export async function setCallOutcome(
  db: Db,
  change: { homeId: string; bookingId: string; outcome: CallOutcome; now: Date },
): Promise<boolean> {
  const updated = await db
    .update(callLogs)
    .set({ outcome: change.outcome, updatedAt: change.now })
    .where(and(eq(callLogs.bookingId, change.bookingId), eq(callLogs.homeId, change.homeId)))
    .returning({ id: callLogs.id });
  return updated.length > 0;
}

/**
 * Ends a booking whose call is over: `completed` or `missed`, bumping its version, only from a status that still
 * holds the slot (`proposed`, `confirmed`, `in-progress`) and only at `expectedVersion`. A proposal nobody confirmed
 * may still have been called from the kiosk, so `proposed` ends here too (the booking transitions of staff and
 * parents do not allow that). Null when the booking moved on meanwhile.
 */
export async function endCallBooking(
  db: Db,
  homeId: string,
  bookingId: string,
  change: { status: 'completed' | 'missed'; expectedVersion: number; now: Date },
): Promise<BookingRecord | null> {
  const updated = await db
    .update(bookings)
    .set({ status: change.status, version: sql`${bookings.version} + 1`, updatedAt: change.now })
    .where(
      and(
        eq(bookings.id, bookingId),
        eq(bookings.homeId, homeId),
        eq(bookings.version, change.expectedVersion),
        inArray(bookings.status, ['proposed', 'confirmed', 'in-progress']),
      ),
    )
    .returning({ id: bookings.id });
  return updated.length > 0 ? getBooking(db, homeId, bookingId) : null;
}

/** A call log's columns (participants as stored), or null. */
export async function getCallLog(
  db: Db,
  homeId: string,
  bookingId: string,
): Promise<{
  id: string;
  outcome: CallOutcome | null;
  startedAt: Date | null;
  endedAt: Date | null;
  overlapSeconds: number;
  participants: unknown[];
} | null> {
  const [row] = await db
    .select({
      id: callLogs.id,
      outcome: callLogs.outcome,
      startedAt: callLogs.startedAt,
      endedAt: callLogs.endedAt,
      overlapSeconds: callLogs.overlapSeconds,
      participants: callLogs.participants,
    })
    .from(callLogs)
    .where(and(eq(callLogs.bookingId, bookingId), eq(callLogs.homeId, homeId)));
  return row ? { ...row, participants: participantsOf(row.participants) } : null;
}

/** A stored webhook event's room (null when not one of ours) and whether it was processed, by our row id. */
export async function getWebhookEventSubject(
  db: Db,
  id: string,
): Promise<{ id: string; source: string; subject: string | null; processedAt: Date | null } | null> {
  const [row] = await db
    .select({
      id: webhookEvents.id,
      source: webhookEvents.source,
      subject: webhookEvents.subject,
      processedAt: webhookEvents.processedAt,
    })
    .from(webhookEvents)
    .where(eq(webhookEvents.id, id));
  return row ?? null;
}

/**
 * LiveKit events stored before `receivedBefore` and not yet processed, oldest first: their hand-over to the queue
 * failed or their job was lost. For the reconciler.
 */
export async function listUnprocessedRoomEvents(
  db: Db,
  options: { receivedBefore: Date; limit: number },
): Promise<{ id: string; subject: string | null; receivedAt: Date }[]> {
  return db
    .select({ id: webhookEvents.id, subject: webhookEvents.subject, receivedAt: webhookEvents.receivedAt })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.source, 'livekit'),
        isNull(webhookEvents.processedAt),
        lt(webhookEvents.receivedAt, options.receivedBefore),
      ),
    )
    .orderBy(asc(webhookEvents.receivedAt), asc(webhookEvents.id))
    .limit(options.limit);
}

/** One call on a child's record. */
export interface ChildCallLogEntry {
  callLogId: string;
  bookingId: string;
  /** The booked slot. */
  slotStart: Date;
  slotEnd: Date;
  bookingStatus: BookingRecord['status'];
  outcome: CallOutcome | null;
  startedAt: Date | null;
  endedAt: Date | null;
  /** From the first to the last moment a child or parent was in the room; null until both are known. */
  durationSeconds: number | null;
  /** Seconds the child and a parent were in the room together. */
  overlapSeconds: number;
  /** The face this child tapped after the call, 1 (sad) to 5 (happy). */
  mood: number | null;
}

/**
 * The call logs of a child's calls, newest slot first (paged), with the child's mood: the calls of bookings the
 * child was on. The caller checks that the child is of the Home and not erased.
 */
export async function listCallLogsOfChild(
  db: Db,
  homeId: string,
  childId: string,
  page: { limit: number; offset: number },
): Promise<{ items: ChildCallLogEntry[]; total: number }> {
  const where = and(eq(callLogs.homeId, homeId), eq(bookingChildren.childId, childId));
  const [rows, [totalRow]] = await Promise.all([
    db
      .select({
        callLogId: callLogs.id,
        bookingId: callLogs.bookingId,
        slotStart: bookings.startAt,
        slotEnd: bookings.endAt,
        bookingStatus: bookings.status,
        outcome: callLogs.outcome,
        startedAt: callLogs.startedAt,
        endedAt: callLogs.endedAt,
        overlapSeconds: callLogs.overlapSeconds,
        mood: callLogChildren.mood,
      })
      .from(callLogs)
      .innerJoin(bookings, eq(bookings.id, callLogs.bookingId))
      .innerJoin(bookingChildren, eq(bookingChildren.bookingId, callLogs.bookingId))
      .leftJoin(
        callLogChildren,
        and(eq(callLogChildren.callLogId, callLogs.id), eq(callLogChildren.childId, bookingChildren.childId)),
      )
      .where(where)
      .orderBy(desc(bookings.startAt), desc(callLogs.id))
      .limit(page.limit)
      .offset(page.offset),
    db
      .select({ total: count() })
      .from(callLogs)
      .innerJoin(bookingChildren, eq(bookingChildren.bookingId, callLogs.bookingId))
      .where(where),
  ]);
  return {
    items: rows.map((row) => ({
      ...row,
      durationSeconds:
        row.startedAt && row.endedAt
          ? Math.max(0, Math.round((row.endedAt.getTime() - row.startedAt.getTime()) / 1000))
          : null,
    })),
    total: Number(totalRow?.total ?? 0),
  };
}

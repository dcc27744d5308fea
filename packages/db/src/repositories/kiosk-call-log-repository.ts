import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { bookingChildren, callLogChildren, callLogs, children } from '../schema/index.ts';

/** How a kiosk's own record of a stay in a call appears in `call_logs.participants`. */
export const KIOSK_REPORT_SOURCE = 'kiosk-report';

/** At most this many kiosk reports are kept per call: a kiosk cannot grow a log without bound. */
export const MAX_KIOSK_REPORTS_PER_CALL = 50;

/** One stay of a child in a call, as the kiosk reported it (times as ISO strings). */
export interface KioskPresenceEntry {
  identity: string;
  source: typeof KIOSK_REPORT_SOURCE;
  joinedAt: string;
  leftAt: string | null;
}

/** What a kiosk reports about a child's stay in a call. */
export interface KioskPresenceReport {
  homeId: string;
  bookingId: string;
  /** The room identity, `kid:<childId>`. */
  identity: string;
  joinedAt: Date;
  /** Absent while the child is still in the call. */
  leftAt: Date | null;
  now: Date;
}

/** The answer to {@link recordKioskPresence}. */
export type KioskPresenceResult =
  | { ok: true; entry: KioskPresenceEntry; isNew: boolean }
  | { ok: false; reason: 'too-many-reports' };

/** Returns the call log of a booking, creating an empty one first when there is none, locked for this transaction. */
async function lockCallLog(
  tx: Db,
  homeId: string,
  bookingId: string,
  now: Date,
): Promise<{ id: string; participants: unknown }> {
  await tx
    .insert(callLogs)
    .values({ id: createId('callLog'), homeId, bookingId, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: callLogs.bookingId });
  const [log] = await tx
    .select({ id: callLogs.id, participants: callLogs.participants })
    .from(callLogs)
    .where(and(eq(callLogs.bookingId, bookingId), eq(callLogs.homeId, homeId)))
    .for('update');
  if (!log) throw new Error(`The call log of ${bookingId} belongs to another Home`);
  return log;
}

function participantsOf(value: unknown): unknown[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? parsed : [];
}

function isKioskReport(value: unknown): value is KioskPresenceEntry {
  return typeof value === 'object' && value !== null && (value as { source?: unknown }).source === KIOSK_REPORT_SOURCE;
}

/**
 * Keeps a kiosk's report of a child's stay in a call in the booking's call log (created when
 * missing), as a `{ identity, source: 'kiosk-report', joinedAt, leftAt }` entry of `participants`.
 * Idempotent by (identity, joinedAt): reporting the same stay again changes nothing, and a later
 * report of it with `leftAt` fills that in. Entries from other sources are left as they are.
 */
export async function recordKioskPresence(db: Db, report: KioskPresenceReport): Promise<KioskPresenceResult> {
  return db.transaction(async (tx) => {
    const log = await lockCallLog(tx, report.homeId, report.bookingId, report.now);
    const participants = participantsOf(log.participants);
    const joinedAt = report.joinedAt.toISOString();
    const leftAt = report.leftAt?.toISOString() ?? null;
    const index = participants.findIndex(
      (entry) => isKioskReport(entry) && entry.identity === report.identity && entry.joinedAt === joinedAt,
    );
    const existing = index >= 0 ? (participants[index] as KioskPresenceEntry) : undefined;
    if (existing && (leftAt === null || existing.leftAt === leftAt)) {
      return { ok: true, entry: existing, isNew: false };
    }
    if (!existing && participants.filter(isKioskReport).length >= MAX_KIOSK_REPORTS_PER_CALL) {
      return { ok: false, reason: 'too-many-reports' };
    }
    const entry: KioskPresenceEntry = { identity: report.identity, source: KIOSK_REPORT_SOURCE, joinedAt, leftAt };
    if (existing) participants[index] = entry;
    else participants.push(entry);
    await tx.update(callLogs).set({ participants, updatedAt: report.now }).where(eq(callLogs.id, log.id));
    return { ok: true, entry, isNew: !existing };
  });
}

/** A child's mood after a call. */
export interface ChildMoodInput {
  homeId: string;
  bookingId: string;
  childId: string;
  /** 1 (sad) to 5 (happy). */
  mood: number;
  now: Date;
}

/**
 * Saves the face a child tapped after a call on `call_log_children.mood`, creating the call log
 * and the child's row when missing; saving again overwrites. Returns false when the child is not
 * (or no longer, e.g. erased) on the booking.
 */
export async function saveChildMood(db: Db, input: ChildMoodInput): Promise<boolean> {
  if (!Number.isInteger(input.mood) || input.mood < 1 || input.mood > 5) {
    throw new RangeError(`A mood is 1 to 5, not ${input.mood}`);
  }
  return db.transaction(async (tx) => {
    // Shares the child's row with an erasure (which locks it for update), so an erased child gets no new link.
    const [child] = await tx
      .select({ id: children.id })
      .from(children)
      .innerJoin(
        bookingChildren,
        and(eq(bookingChildren.childId, children.id), eq(bookingChildren.bookingId, input.bookingId)),
      )
      .where(and(eq(children.id, input.childId), eq(children.homeId, input.homeId), isNull(children.erasedAt)))
      .for('share', { of: children });
    if (!child) return false;
    const log = await lockCallLog(tx, input.homeId, input.bookingId, input.now);
    await tx
      .insert(callLogChildren)
      .values({ callLogId: log.id, childId: input.childId, mood: input.mood })
      .onConflictDoUpdate({
        target: [callLogChildren.callLogId, callLogChildren.childId],
        set: { mood: input.mood },
      });
    await tx.update(callLogs).set({ updatedAt: input.now }).where(eq(callLogs.id, log.id));
    return true;
  });
}

/** A child's saved mood for a booking's call, or null (for tests and the console). */
export async function getChildMood(db: Db, homeId: string, bookingId: string, childId: string): Promise<number | null> {
  const [row] = await db
    .select({ mood: callLogChildren.mood })
    .from(callLogChildren)
    .innerJoin(callLogs, eq(callLogs.id, callLogChildren.callLogId))
    .where(and(eq(callLogs.bookingId, bookingId), eq(callLogs.homeId, homeId), eq(callLogChildren.childId, childId)));
  return row?.mood ?? null;
}

/** The kiosk's reports in a booking's call log (for tests and the jobs layer that folds them into the outcome). */
export async function listKioskPresence(db: Db, homeId: string, bookingId: string): Promise<KioskPresenceEntry[]> {
  const [log] = await db
    .select({ participants: callLogs.participants })
    .from(callLogs)
    .where(and(eq(callLogs.bookingId, bookingId), eq(callLogs.homeId, homeId)));
  return log ? participantsOf(log.participants).filter(isKioskReport) : [];
}

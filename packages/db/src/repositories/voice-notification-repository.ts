import { and, asc, eq, gte, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { voiceNotifications } from '../schema/index.ts';

/** Where a voice notification stands; the last four are final (a report moves it there, never back). */
export type VoiceNotificationStatus =
  | 'pending'
  | 'placing'
  | 'placed'
  | 'answered'
  | 'not-answered'
  | 'busy'
  | 'failed';

/** One `voice_notifications` row. */
export interface VoiceNotificationRecord {
  /** `vnt_…` */
  id: string;
  homeId: string;
  bookingId: string;
  contactId: string;
  purpose: string;
  toPhone: string;
  provider: string;
  status: VoiceNotificationStatus;
  providerCallId: string | null;
  dtmf: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  placedAt: Date | null;
  resultAt: Date | null;
}

/** A voice notification to store. */
export interface NewVoiceNotification {
  homeId: string;
  bookingId: string;
  contactId: string;
  purpose: string;
  toPhone: string;
  provider: string;
  now: Date;
}

/** Locks voice notifications to one number for the rest of the transaction (namespace of these locks). */
const PHONE_LOCK_NAMESPACE = 7_012;

/**
 * Stores the notification of a booking, contact and purpose once: a second call (another worker, a retried job)
 * finds the first row (`isNew: false`).
 */
export async function insertVoiceNotificationOnce(
  db: Db,
  notification: NewVoiceNotification,
): Promise<{ notification: VoiceNotificationRecord; isNew: boolean }> {
  const [inserted] = await db
    .insert(voiceNotifications)
    .values({
      id: createId('voiceNotification'),
      homeId: notification.homeId,
      bookingId: notification.bookingId,
      contactId: notification.contactId,
      purpose: notification.purpose,
      toPhone: notification.toPhone,
      provider: notification.provider,
      createdAt: notification.now,
    })
    .onConflictDoNothing({
      target: [voiceNotifications.bookingId, voiceNotifications.contactId, voiceNotifications.purpose],
    })
    .returning();
  if (inserted) return { notification: inserted, isNew: true };
  const [existing] = await db
    .select()
    .from(voiceNotifications)
    .where(
      and(
        eq(voiceNotifications.bookingId, notification.bookingId),
        eq(voiceNotifications.contactId, notification.contactId),
        eq(voiceNotifications.purpose, notification.purpose),
      ),
    );
  if (!existing) throw new Error('insertVoiceNotificationOnce: the row conflicts with another but none was found');
  return { notification: existing, isNew: false };
}

/** The answer to {@link claimVoiceNotification}. */
export type ClaimVoiceNotificationResult =
  | { ok: true; notification: VoiceNotificationRecord }
  /** Another worker has it, or it was placed already. */
  | { ok: false; reason: 'not-pending' }
  /** Placing it now would pass a per-number limit: not before `notBefore`. */
  | { ok: false; reason: 'capped'; notBefore: Date };

/**
 * Claims a `pending` notification for placing (`placing`, `placed_at` = now, one more attempt), in one transaction
 * holding a lock on the number: `decide` gets the times of the other calls to that number placed since `since`
 * and answers when this one may go; a later time leaves the row `pending`. So two workers never place two calls
 * to one number past its limit, nor the same notification twice.
 */
export async function claimVoiceNotification(
  db: Db,
  id: string,
  options: { now: Date; since: Date; decide: (placedAt: readonly Date[]) => Date },
): Promise<ClaimVoiceNotificationResult> {
  return db.transaction(async (tx) => {
    const [seen] = await tx.select().from(voiceNotifications).where(eq(voiceNotifications.id, id));
    if (seen?.status !== 'pending') return { ok: false, reason: 'not-pending' };
    await tx.execute(sql`select pg_advisory_xact_lock(${PHONE_LOCK_NAMESPACE}, hashtext(${seen.toPhone}))`);
    // Read again under the lock: another worker may have claimed it while this one waited.
    const [row] = await tx.select().from(voiceNotifications).where(eq(voiceNotifications.id, id));
    if (row?.status !== 'pending') return { ok: false, reason: 'not-pending' };
    const others = await tx
      .select({ placedAt: voiceNotifications.placedAt })
      .from(voiceNotifications)
      .where(
        and(
          eq(voiceNotifications.toPhone, row.toPhone),
          ne(voiceNotifications.id, row.id),
          isNotNull(voiceNotifications.placedAt),
          gte(voiceNotifications.placedAt, options.since),
        ),
      );
    const notBefore = options.decide(others.flatMap((other) => (other.placedAt ? [other.placedAt] : [])));
    if (notBefore.getTime() > options.now.getTime()) return { ok: false, reason: 'capped', notBefore };
    const [claimed] = await tx
      .update(voiceNotifications)
      .set({ status: 'placing', placedAt: options.now, attempts: sql`${voiceNotifications.attempts} + 1` })
      .where(and(eq(voiceNotifications.id, id), eq(voiceNotifications.status, 'pending')))
      .returning();
    return claimed ? { ok: true, notification: claimed } : { ok: false, reason: 'not-pending' };
  });
}

/** The provider took the call: `placing` → `placed`, with its call id. */
export async function markVoiceNotificationPlaced(
  db: Db,
  id: string,
  placed: { providerCallId: string },
): Promise<void> {
  await db
    .update(voiceNotifications)
    .set({ status: 'placed', providerCallId: placed.providerCallId, lastError: null })
    .where(and(eq(voiceNotifications.id, id), eq(voiceNotifications.status, 'placing')));
}

/**
 * The provider surely did not take the call and it may be tried again: `placing` → `pending`, its placing time
 * forgotten (it counts towards no limit).
 */
export async function releaseVoiceNotification(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(voiceNotifications)
    .set({ status: 'pending', placedAt: null, lastError: error })
    .where(and(eq(voiceNotifications.id, id), eq(voiceNotifications.status, 'placing')));
}

/**
 * The call will not be placed (a permanent refusal), or its fate is unknown and only a report can tell (an
 * ambiguous failure: `placed` without a call id, `keepPlaced`).
 */
export async function failVoiceNotification(
  db: Db,
  id: string,
  error: string,
  options: { keepPlaced?: boolean } = {},
): Promise<void> {
  await db
    .update(voiceNotifications)
    .set({ status: options.keepPlaced ? 'placed' : 'failed', lastError: error })
    .where(and(eq(voiceNotifications.id, id), eq(voiceNotifications.status, 'placing')));
}

/** A provider's report as applied: the result and keys pressed. */
export interface VoiceReportUpdate {
  /** Our id from the report's `out_id`, when present. */
  notificationId: string | null;
  /** The provider's call id. */
  providerCallId: string;
  result: 'answered' | 'not-answered' | 'busy' | 'failed';
  dtmf: string | null;
  now: Date;
}

/**
 * Applies a report, forward only: a `placing` or `placed` notification takes the result; a final one keeps it,
 * except that a report carrying keys pressed makes it `answered` (a key proves the call was answered) and fills
 * in keys not known yet. A duplicate or a report out of order changes nothing. Returns the row when it changed.
 */
export async function applyVoiceReport(db: Db, report: VoiceReportUpdate): Promise<VoiceNotificationRecord | null> {
  const byCall = report.notificationId
    ? or(eq(voiceNotifications.id, report.notificationId), eq(voiceNotifications.providerCallId, report.providerCallId))
    : eq(voiceNotifications.providerCallId, report.providerCallId);
  const [row] = await db.select().from(voiceNotifications).where(byCall).limit(1);
  if (!row) return null;
  const isOpen = row.status === 'placing' || row.status === 'placed' || row.status === 'pending';
  const bringsKeys = report.dtmf !== null && row.dtmf === null;
  if (!isOpen && !bringsKeys) return null;
  const status = report.dtmf !== null ? 'answered' : isOpen ? report.result : row.status;
  const [updated] = await db
    .update(voiceNotifications)
    .set({
      status,
      dtmf: row.dtmf ?? report.dtmf,
      providerCallId: row.providerCallId ?? report.providerCallId,
      resultAt: row.resultAt ?? report.now,
    })
    .where(and(eq(voiceNotifications.id, row.id), eq(voiceNotifications.status, row.status)))
    .returning();
  return updated ?? null;
}

/** A notification by id, or null. */
export async function getVoiceNotification(db: Db, id: string): Promise<VoiceNotificationRecord | null> {
  const [row] = await db.select().from(voiceNotifications).where(eq(voiceNotifications.id, id));
  return row ?? null;
}

/** The voice notifications of some bookings of a Home, oldest first (the board's cards). */
export async function listVoiceNotificationsOfBookings(
  db: Db,
  homeId: string,
  bookingIds: readonly string[],
): Promise<VoiceNotificationRecord[]> {
  if (bookingIds.length === 0) return [];
  return db
    .select()
    .from(voiceNotifications)
    .where(and(eq(voiceNotifications.homeId, homeId), inArray(voiceNotifications.bookingId, [...bookingIds])))
    .orderBy(asc(voiceNotifications.createdAt), asc(voiceNotifications.id));
}

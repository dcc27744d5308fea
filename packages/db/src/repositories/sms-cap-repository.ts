import { and, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { bookings, smsMessages } from '../schema/index.ts';
import type { SmsMessageRecord } from './sms-message-repository.ts';

/** `error_code` of a message whose due time was moved later by a provider's per-number limit (the note says why). */
export const SMS_CAP_DELAYED = 'capped';
/** `error_code` of a message cancelled because a per-number limit let it go only when it no longer helps. */
export const SMS_CAP_DROPPED = 'cap-exceeded';
/** `error_code` of a reminder cancelled because a message sent just before it already said the same. */
export const SMS_CAP_MERGED = 'merged';

/** A message already claimed or sent to the number: what the provider has counted. */
export interface SmsCapHistoryEntry {
  /** When it went (or was claimed, for one still `sending`). */
  at: Date;
  template: string | null;
  bookingId: string | null;
}

/** What to do with a due message, decided from the number's history. */
export type SmsCapDecision =
  | { kind: 'send' }
  | { kind: 'delay'; until: Date; note: string }
  | { kind: 'drop'; code: typeof SMS_CAP_DROPPED | typeof SMS_CAP_MERGED; note: string };

/** The result of {@link claimSmsWithinCaps}. */
export type CappedClaim =
  | { kind: 'claimed'; message: SmsMessageRecord }
  | { kind: 'delayed'; until: Date }
  | { kind: 'dropped' }
  /** Not `pending` and due (or expired): the caller looks at the row as after a failed claim. */
  | { kind: 'not-claimable' };

/** What {@link claimSmsWithinCaps} needs besides the message id. */
export interface ClaimSmsWithinCapsOptions {
  now: Date;
  earlyMs: number;
  /** How far back sends count (the longest window of the limits). */
  historyMs: number;
  /**
   * How long after its claim a `sending` message's request may still leave (half the send lease): it is counted
   * at its claim + this, the latest the provider may receive it. A sent one is counted at `sent_at`, recorded
   * after the provider answered, so never before the provider counted it.
   */
  inFlightMs: number;
  /** Decides from the message, the start of its call (if any) and what the number already got. */
  decide: (message: SmsMessageRecord, callStart: Date | null, history: readonly SmsCapHistoryEntry[]) => SmsCapDecision;
}

const LOCK_NAMESPACE = 7_311_017;
const COUNTED_STATUSES = ['sending', 'sent', 'delivered', 'undelivered'] as const;

/**
 * Claims a due message unless a per-number limit forbids it now, in one transaction holding a lock on the number
 * (an advisory lock keyed by it): of two workers claiming messages to one number, the second reads the first's
 * claim. The number's sends are its `sending`, `sent`, `delivered` and `undelivered` rows of the last `historyMs`
 * (see `inFlightMs` for when each counts). The decision moves the due time later (`capped`, with a note), cancels
 * the message (`cap-exceeded` or `merged`, with a note the outbox shows), or claims it as `claimSmsForSending` does.
 */
export async function claimSmsWithinCaps(db: Db, id: string, options: ClaimSmsWithinCapsOptions): Promise<CappedClaim> {
  const { now } = options;
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select({ toPhone: smsMessages.toPhone })
      .from(smsMessages)
      .where(dueCondition(id, now, options.earlyMs));
    if (!due) return { kind: 'not-claimable' };
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${due.toPhone}))`);
    const [row] = await tx
      .select()
      .from(smsMessages)
      .where(dueCondition(id, now, options.earlyMs))
      .for('update');
    if (!row) return { kind: 'not-claimable' };
    const sentAt = sql<Date>`coalesce(${smsMessages.sentAt}, ${smsMessages.updatedAt})`;
    const countedAt = sql<Date>`case when ${smsMessages.status} = 'sending'
      then ${smsMessages.updatedAt} + make_interval(secs => ${options.inFlightMs / 1000}::double precision)
      else ${sentAt} end`;
    const history = await tx
      .select({
        at: countedAt.mapWith(smsMessages.sentAt),
        template: smsMessages.template,
        bookingId: smsMessages.bookingId,
      })
      .from(smsMessages)
      .where(
        and(
          eq(smsMessages.direction, 'out'),
          eq(smsMessages.toPhone, row.toPhone),
          ne(smsMessages.id, row.id),
          inArray(smsMessages.status, [...COUNTED_STATUSES]),
          gt(sentAt, new Date(now.getTime() - options.historyMs)),
        ),
      );
    let callStart: Date | null = null;
    if (row.bookingId) {
      const [booking] = await tx
        .select({ startAt: bookings.startAt })
        .from(bookings)
        .where(eq(bookings.id, row.bookingId));
      callStart = booking?.startAt ?? null;
    }
    const decision = options.decide(row, callStart, history);
    if (decision.kind === 'delay') {
      await tx
        .update(smsMessages)
        .set({ dueAt: decision.until, errorCode: SMS_CAP_DELAYED, errorMessage: decision.note, updatedAt: now })
        .where(eq(smsMessages.id, row.id));
      return { kind: 'delayed', until: decision.until };
    }
    if (decision.kind === 'drop') {
      await tx
        .update(smsMessages)
        .set({ status: 'cancelled', errorCode: decision.code, errorMessage: decision.note, updatedAt: now })
        .where(eq(smsMessages.id, row.id));
      return { kind: 'dropped' };
    }
    const [claimed] = await tx
      .update(smsMessages)
      .set({
        status: 'sending',
        attempts: sql`${smsMessages.attempts} + 1`,
        errorCode: null,
        errorMessage: null,
        updatedAt: now,
      })
      .where(eq(smsMessages.id, row.id))
      .returning();
    return claimed ? { kind: 'claimed', message: claimed } : { kind: 'not-claimable' };
  });
}

function dueCondition(id: string, now: Date, earlyMs: number) {
  return and(
    eq(smsMessages.id, id),
    eq(smsMessages.direction, 'out'),
    eq(smsMessages.status, 'pending'),
    lte(smsMessages.dueAt, new Date(now.getTime() + earlyMs)),
    or(isNull(smsMessages.sendBefore), gt(smsMessages.sendBefore, now)),
  );
}

import { and, asc, eq, gt, gte, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { smsMessages } from '../schema/index.ts';
import type { SmsMessageRecord, SmsProviderName } from './sms-message-repository.ts';

/**
 * `error_code` of a message left `sending` after an ambiguous failure: the provider may have it,
 * so whoever picks it up next asks the provider before sending again.
 */
export const SMS_AMBIGUOUS_SEND = 'ambiguous';

const isOutgoing = eq(smsMessages.direction, 'out');

/**
 * The two statements every message runs (claim, record sent), built once per database and
 * prepared: at hundreds of messages a second, building the query each time costs more than running it.
 */
function prepareStatements(db: Db) {
  const now = sql`${sql.placeholder('now')}::timestamptz`;
  /** What a claim sets: sending, one more attempt, the last error forgotten. */
  const claimed = {
    status: 'sending' as const,
    attempts: sql`${smsMessages.attempts} + 1`,
    errorCode: null,
    errorMessage: null,
    updatedAt: now,
  };
  /** A message that may be claimed: outgoing, pending, due by `dueBy` and not past its send-before. */
  const claimable = (dueBy: SQL | ReturnType<typeof sql.placeholder>) =>
    and(
      isOutgoing,
      eq(smsMessages.status, 'pending'),
      lte(smsMessages.dueAt, dueBy),
      or(isNull(smsMessages.sendBefore), gt(smsMessages.sendBefore, now)),
    );
  return {
    claim: db
      .update(smsMessages)
      .set(claimed)
      .where(and(eq(smsMessages.id, sql.placeholder('id')), claimable(sql.placeholder('dueBy'))))
      .returning()
      .prepare('sms_dispatch_claim'),
    recordSent: db
      .update(smsMessages)
      .set({
        status: 'sent',
        provider: sql`${sql.placeholder('provider')}`,
        providerId: sql`${sql.placeholder('providerId')}`,
        sentAt: sql`coalesce(${smsMessages.sentAt}, ${sql.placeholder('now')}::timestamptz)`,
        errorCode: null,
        errorMessage: null,
        updatedAt: sql`${sql.placeholder('now')}::timestamptz`,
      })
      .where(and(eq(smsMessages.id, sql.placeholder('id')), isOutgoing, eq(smsMessages.status, 'sending')))
      .returning()
      .prepare('sms_dispatch_record_sent'),
    claimMany: db
      .update(smsMessages)
      .set(claimed)
      .where(
        and(
          sql`${smsMessages.id} = any(${sql.placeholder('ids')}::text[])`,
          claimable(sql`${sql.placeholder('dueBy')}::timestamptz`),
        ),
      )
      .returning()
      .prepare('sms_dispatch_claim_many'),
    // Each row's provider, provider id and time come from arrays in step with the ids, joined in
    // as rows: one statement and one round trip for the whole batch.
    recordSentMany: db
      .update(smsMessages)
      .set({
        status: 'sent',
        provider: sql`sent.provider`,
        providerId: sql`sent.provider_id`,
        sentAt: sql`coalesce(${smsMessages.sentAt}, sent.at)`,
        errorCode: null,
        errorMessage: null,
        updatedAt: sql`sent.at`,
      })
      .from(
        sql`unnest(${sql.placeholder('ids')}::text[], ${sql.placeholder('providers')}::text[], ${sql.placeholder('providerIds')}::text[], ${sql.placeholder('ats')}::timestamptz[]) as sent(id, provider, provider_id, at)`,
      )
      .where(and(sql`${smsMessages.id} = sent.id`, isOutgoing, eq(smsMessages.status, 'sending')))
      .returning({ id: smsMessages.id })
      .prepare('sms_dispatch_record_sent_many'),
  };
}

const statements = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function preparedFor(db: Db): ReturnType<typeof prepareStatements> {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = prepareStatements(db);
    statements.set(db, prepared);
  }
  return prepared;
}

/** One outgoing message by id, or null (also for an inbound message). */
export async function getSmsForDispatch(db: Db, id: string): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .select()
    .from(smsMessages)
    .where(and(eq(smsMessages.id, id), isOutgoing));
  return row ?? null;
}

/**
 * Claims a due message for sending in one statement: `pending` → `sending`, `attempts + 1`,
 * `updated_at = now` (the claim's time). Only one caller can win, so a retried or duplicated job
 * never sends twice. Returns null when the message is not `pending`, is due later than
 * `now + earlyMs`, or its `send_before` has come.
 */
export async function claimSmsForSending(
  db: Db,
  id: string,
  claim: { now: Date; earlyMs: number },
): Promise<SmsMessageRecord | null> {
  const [row] = await preparedFor(db).claim.execute({
    id,
    now: claim.now.toISOString(),
    dueBy: new Date(claim.now.getTime() + claim.earlyMs),
  });
  return row ?? null;
}

/**
 * {@link claimSmsForSending} for many messages in one statement (the same conditions for each row,
 * at one `now`): the messages claimed, in no particular order. A message not claimed (not `pending`,
 * not due by `now + earlyMs`, past its `send_before`, missing) is simply not among them.
 */
export async function claimSmsBatchForSending(
  db: Db,
  ids: readonly string[],
  claim: { now: Date; earlyMs: number },
): Promise<SmsMessageRecord[]> {
  if (ids.length === 0) return [];
  return await preparedFor(db).claimMany.execute({
    ids: [...ids],
    now: claim.now.toISOString(),
    dueBy: new Date(claim.now.getTime() + claim.earlyMs).toISOString(),
  });
}

/** One message the provider accepted, for {@link recordSmsSentBatch}. */
export interface SmsSentRecord {
  id: string;
  provider: SmsProviderName;
  providerId: string;
  now: Date;
}

/**
 * {@link recordSmsSent} for many messages in one statement (each with its own provider id and time):
 * the ids of the messages recorded (`sending` → `sent`); one that had moved on already is not among
 * them. The ids must be distinct.
 */
export async function recordSmsSentBatch(db: Db, sent: readonly SmsSentRecord[]): Promise<string[]> {
  if (sent.length === 0) return [];
  const rows = await preparedFor(db).recordSentMany.execute({
    ids: sent.map((entry) => entry.id),
    providers: sent.map((entry) => entry.provider),
    providerIds: sent.map((entry) => entry.providerId),
    ats: sent.map((entry) => entry.now.toISOString()),
  });
  return rows.map((row) => row.id);
}

/**
 * Takes over a `sending` message whose sender gave up (ambiguous failure) or vanished (its claim
 * is old): `attempts + 1`, `updated_at = now`, the ambiguity note cleared. `seenAttempts` is the
 * `attempts` the caller read; when someone else took the message meanwhile, nothing changes and
 * the answer is null.
 */
export async function takeOverSendingSms(
  db: Db,
  id: string,
  takeOver: { seenAttempts: number; now: Date },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({
      attempts: sql`${smsMessages.attempts} + 1`,
      errorCode: null,
      errorMessage: null,
      updatedAt: takeOver.now,
    })
    .where(
      and(
        eq(smsMessages.id, id),
        isOutgoing,
        eq(smsMessages.status, 'sending'),
        eq(smsMessages.attempts, takeOver.seenAttempts),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Records that the provider has the message: `sending` → `sent`, with the provider, its id and
 * the time. Returns null when the message had already moved on (a status callback got there first).
 */
export async function recordSmsSent(
  db: Db,
  id: string,
  sent: { provider: 'outbox' | 'twilio' | 'aliyun'; providerId: string; now: Date },
): Promise<SmsMessageRecord | null> {
  const [row] = await preparedFor(db).recordSent.execute({
    id,
    provider: sent.provider,
    providerId: sent.providerId,
    now: sent.now.toISOString(),
  });
  return row ?? null;
}

/** Why a send did not work, as stored on the message (our reason and a message without personal data). */
export interface SmsSendProblem {
  errorCode: string;
  errorMessage: string;
  now: Date;
}

/**
 * Gives a message back after a failure that surely left nothing at the provider: `sending` →
 * `pending`, with the reason kept for the console. Only while `attempts` is still `seenAttempts`
 * (nobody took the message over meanwhile).
 */
export async function releaseSmsForRetry(
  db: Db,
  id: string,
  release: SmsSendProblem & { seenAttempts: number },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({
      status: 'pending',
      errorCode: release.errorCode,
      errorMessage: release.errorMessage,
      updatedAt: release.now,
    })
    .where(
      and(
        eq(smsMessages.id, id),
        isOutgoing,
        eq(smsMessages.status, 'sending'),
        eq(smsMessages.attempts, release.seenAttempts),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Notes an ambiguous failure: the message stays `sending` with `error_code` {@link SMS_AMBIGUOUS_SEND},
 * so nobody sends it again before asking the provider. Only while `attempts` is `seenAttempts`.
 */
export async function markSmsSendAmbiguous(
  db: Db,
  id: string,
  note: { errorMessage: string; now: Date; seenAttempts: number },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({ errorCode: SMS_AMBIGUOUS_SEND, errorMessage: note.errorMessage, updatedAt: note.now })
    .where(
      and(
        eq(smsMessages.id, id),
        isOutgoing,
        eq(smsMessages.status, 'sending'),
        eq(smsMessages.attempts, note.seenAttempts),
      ),
    )
    .returning();
  return row ?? null;
}

/** A permanent failure: `sending` → `failed`, with the reason shown in the console. */
export async function recordSmsSendFailed(
  db: Db,
  id: string,
  failure: SmsSendProblem,
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({ status: 'failed', errorCode: failure.errorCode, errorMessage: failure.errorMessage, updatedAt: failure.now })
    .where(and(eq(smsMessages.id, id), isOutgoing, eq(smsMessages.status, 'sending')))
    .returning();
  return row ?? null;
}

/** `error_code` of a message cancelled because its `send_before` came before it could go out. */
export const SMS_EXPIRED = 'expired';

/**
 * Cancels a message whose `send_before` has come (`pending`, or `sending` when the provider surely has
 * nothing: pass the `attempts` read then), with {@link SMS_EXPIRED} and a reason for the console.
 * Returns null when the message is not expired or moved on meanwhile.
 */
export async function expireSms(
  db: Db,
  id: string,
  expiry: { now: Date; seenAttempts?: number },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({
      status: 'cancelled',
      errorCode: SMS_EXPIRED,
      errorMessage: 'Not sent: the call it was about was over before it could go out',
      updatedAt: expiry.now,
    })
    .where(
      and(
        eq(smsMessages.id, id),
        isOutgoing,
        lte(smsMessages.sendBefore, expiry.now),
        expiry.seenAttempts === undefined
          ? eq(smsMessages.status, 'pending')
          : and(eq(smsMessages.status, 'sending'), eq(smsMessages.attempts, expiry.seenAttempts)),
      ),
    )
    .returning();
  return row ?? null;
}

/**
 * Cancels a message that has not been claimed yet: `pending` → `cancelled`. Returns the cancelled
 * message, or null when it was not pending (already sending or sent: too late to cancel).
 */
export async function cancelPendingSms(db: Db, id: string, now: Date): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({ status: 'cancelled', updatedAt: now })
    .where(and(eq(smsMessages.id, id), isOutgoing, eq(smsMessages.status, 'pending')))
    .returning();
  return row ?? null;
}

/** A message the reconciler makes sure has a job. */
export interface SmsToDispatch {
  id: string;
  dueAt: Date;
  status: 'pending' | 'sending';
  /** Why the last attempt did not send it (null when none failed). */
  errorCode: string | null;
  /** When it was last claimed, released or noted. */
  updatedAt: Date;
}

const dispatchColumns = {
  id: smsMessages.id,
  dueAt: smsMessages.dueAt,
  status: smsMessages.status,
  errorCode: smsMessages.errorCode,
  updatedAt: smsMessages.updatedAt,
};

/** Options for {@link listPendingSmsDueBy}. */
export interface ListPendingSmsOptions {
  /** Pending messages due at or before this time. */
  dueBy: Date;
  /** Page size. */
  limit: number;
  /** Keyset: the last message of the previous page. */
  after?: { dueAt: Date; id: string };
}

/** A page of `pending` outgoing messages due by `dueBy`, oldest due first. */
export async function listPendingSmsDueBy(db: Db, options: ListPendingSmsOptions): Promise<SmsToDispatch[]> {
  const conditions: SQL[] = [isOutgoing, eq(smsMessages.status, 'pending'), lte(smsMessages.dueAt, options.dueBy)];
  if (options.after) {
    const afterDue = options.after.dueAt;
    const keyset = or(
      gt(smsMessages.dueAt, afterDue),
      and(eq(smsMessages.dueAt, afterDue), gt(smsMessages.id, options.after.id)),
    );
    // `due_at >= …` lets the (status, due_at) index start at the page; the OR alone is only a filter.
    conditions.push(gte(smsMessages.dueAt, afterDue));
    if (keyset) conditions.push(keyset);
  }
  return (await db
    .select(dispatchColumns)
    .from(smsMessages)
    .where(and(...conditions))
    .orderBy(asc(smsMessages.dueAt), asc(smsMessages.id))
    .limit(options.limit)) as SmsToDispatch[];
}

/** Options for {@link listStuckSendingSms}. */
export interface ListStuckSendingOptions {
  /** Claimed (or last touched) at or before this time: the sender is presumed gone. */
  claimedBefore: Date;
  /** Noted ambiguous at or before this time: ready to be checked with the provider. */
  ambiguousBefore: Date;
  limit: number;
}

/** `sending` messages nobody is working on any more: ambiguous and settled, or claimed long ago. */
export async function listStuckSendingSms(db: Db, options: ListStuckSendingOptions): Promise<SmsToDispatch[]> {
  return (await db
    .select(dispatchColumns)
    .from(smsMessages)
    .where(
      and(
        isOutgoing,
        eq(smsMessages.status, 'sending'),
        or(
          lte(smsMessages.updatedAt, options.claimedBefore),
          and(eq(smsMessages.errorCode, SMS_AMBIGUOUS_SEND), lte(smsMessages.updatedAt, options.ambiguousBefore)),
        ),
      ),
    )
    .orderBy(asc(smsMessages.updatedAt))
    .limit(options.limit)) as SmsToDispatch[];
}

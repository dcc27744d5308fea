import { type Db, listPendingSmsDueBy, listStuckSendingSms } from '@affection/db';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { enqueueSmsBatch, type SmsToEnqueue } from './send-sms.ts';

/** Name of the repeatable job (on the system queue) that runs {@link reconcileSms}. */
export const RECONCILE_SMS_JOB = 'reconcile-sms';

/** Options for {@link reconcileSms}. */
export interface ReconcileSmsOptions {
  db: Db;
  /** The `sms` queue. */
  smsQueue: Queue;
  /**
   * The queue's Redis connection: when given, messages whose job already exists are skipped with one
   * pipelined `EXISTS` per page instead of being enqueued again (cheaper at tens of thousands due).
   */
  redis?: Redis;
  now: () => Date;
  /**
   * Pending messages due within this long (or overdue) get their job, delayed to the due time.
   * Keep it longer than the reconciler's period so every message has its job before it is due.
   * Default 2 minutes.
   */
  horizonMs?: number;
  /** A `sending` message claimed longer ago than this is presumed abandoned. Default 60 s (the send lease). */
  sendLeaseMs?: number;
  /** A `sending` message noted ambiguous longer ago than this is ready to be checked. Default 15 s. */
  ambiguousSettleMs?: number;
  /**
   * A pending message given back after a failed attempt gets its new job no sooner than this after
   * that attempt (the job's own retries, with the provider's Retry-After, ran out). Default 60 s.
   */
  retryDelayMs?: number;
  /** Rows read per page. Default 1 000. */
  batchSize?: number;
}

/** What one run of {@link reconcileSms} did. */
export interface ReconcileSmsReport {
  /** Pending messages due soon or overdue whose job was (re-)enqueued. */
  pending: number;
  /** `sending` messages nobody is working on, whose job was (re-)enqueued to check them. */
  stuck: number;
}

/**
 * Makes sure every message that should be on its way has a job: each `pending` message due within
 * the horizon or overdue, and each `sending` message that is ambiguous or abandoned (its job
 * checks with the provider before sending again). Job ids are the message ids, so a message whose
 * job exists is not enqueued twice. This is what makes losing Redis lose no message.
 */
export async function reconcileSms(options: ReconcileSmsOptions): Promise<ReconcileSmsReport> {
  const now = options.now();
  const batchSize = options.batchSize ?? 1_000;
  const dueBy = new Date(now.getTime() + (options.horizonMs ?? 120_000));
  let pending = 0;
  let after: { dueAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listPendingSmsDueBy(options.db, { dueBy, limit: batchSize, ...(after ? { after } : {}) });
    if (page.length === 0) break;
    const retryDelayMs = options.retryDelayMs ?? 60_000;
    const jobs = page.map((row) => ({
      id: row.id,
      dueAt:
        row.errorCode === null
          ? row.dueAt
          : new Date(Math.max(row.dueAt.getTime(), row.updatedAt.getTime() + retryDelayMs)),
    }));
    await enqueueSmsBatch(options.smsQueue, await withoutJobs(options, jobs), { now: options.now() });
    pending += page.length;
    const last = page.at(-1);
    if (!last || page.length < batchSize) break;
    after = { dueAt: last.dueAt, id: last.id };
  }
  const stuckRows = await listStuckSendingSms(options.db, {
    claimedBefore: new Date(now.getTime() - (options.sendLeaseMs ?? 60_000)),
    ambiguousBefore: new Date(now.getTime() - (options.ambiguousSettleMs ?? 15_000)),
    limit: batchSize,
  });
  // Due now: the job decides, after asking the provider, whether anything is left to send. A job that
  // exists (waiting for the lease to run out) keeps its id, so this adds nothing then.
  await enqueueSmsBatch(
    options.smsQueue,
    stuckRows.map((row) => ({ id: row.id, dueAt: now })),
    { now },
  );
  return { pending, stuck: stuckRows.length };
}

/** The messages among `messages` that have no job on the queue (all of them without a Redis connection). */
async function withoutJobs(options: ReconcileSmsOptions, messages: SmsToEnqueue[]): Promise<SmsToEnqueue[]> {
  if (!options.redis || messages.length === 0) return messages;
  const pipeline = options.redis.pipeline();
  for (const message of messages) pipeline.exists(options.smsQueue.toKey(message.id));
  const answers = (await pipeline.exec()) ?? [];
  return messages.filter((_, i) => answers[i]?.[1] !== 1);
}

/**
 * Makes sure the repeatable reconciler exists on the system queue (idempotent: a job scheduler keyed
 * by name, so every worker process may call it at start and after Redis comes back).
 */
export async function scheduleSmsReconciler(systemQueue: Queue, options: { everyMs?: number } = {}): Promise<void> {
  await systemQueue.upsertJobScheduler(
    RECONCILE_SMS_JOB,
    { every: options.everyMs ?? 60_000 },
    { name: RECONCILE_SMS_JOB },
  );
}

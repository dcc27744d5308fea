import { type Db, getWebhookEventSubject, listUnprocessedRoomEvents, markWebhookEventProcessed } from '@affection/db';
import type { JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { updateCallLog } from './update-call-log.ts';

/** Name of the job that folds one stored LiveKit event (and all the others of its room) into the call log. */
export const CALL_EVENT_JOB = 'call-event';

/** Name of the repeatable job (on the `call-events` queue) that runs {@link reconcileCallEvents}. */
export const RECONCILE_CALL_EVENTS_JOB = 'reconcile-call-events';

/**
 * The payload of a {@link CALL_EVENT_JOB} job, version 1: the stored event's row id (`whe_…`). The room, the times
 * and who joined are read from `webhook_events`, the system of record.
 */
export const CallEventJobSchema = z.object({ v: z.literal(1), webhookEventId: z.string().min(1) });

/** A {@link CALL_EVENT_JOB} payload. */
export type CallEventJob = z.infer<typeof CallEventJobSchema>;

/**
 * The BullMQ options of a call-event job: the stored event's id as job id (an event handed on twice while its job
 * waits is one job), a few retries with exponential backoff, and no finished job kept (the database keeps the
 * outcome, and the reconciler may enqueue the id again).
 */
export function callEventJobOptions(webhookEventId: string): JobsOptions {
  return {
    jobId: webhookEventId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/**
 * Enqueues the fold of a LiveKit event already stored in `webhook_events` (the row comes first): what the server's
 * `onLivekitEvent` hook does.
 *
 * @example services.onLivekitEvent = (event, stored) => enqueueCallEvent(callEventsQueue, stored.webhookEventId)
 */
export async function enqueueCallEvent(queue: Queue, webhookEventId: string): Promise<void> {
  const payload: CallEventJob = { v: 1, webhookEventId };
  await queue.add(CALL_EVENT_JOB, payload, callEventJobOptions(webhookEventId));
}

/** What {@link processCallEvent} did. */
export type CallEventOutcome =
  | { kind: 'missing' }
  /** Not a room of ours (no booking named it): marked processed, nothing else. */
  | { kind: 'not-ours' }
  | { kind: 'no-booking'; bookingId: string }
  | { kind: 'folded'; bookingId: string; overlapSeconds: number };

/**
 * Processes one stored LiveKit event: its room's call log is rebuilt from ALL the room's stored events (see
 * `updateCallLog`), so it does not matter which event's job runs, how often, or in what order — the log after the
 * last one is the log of the whole set. Events of rooms that are not a booking's are marked processed and left.
 */
export async function processCallEvent(
  options: {
    db: Db;
    now: () => Date;
    /** Tells the Home's open boards that the call's log changed (never throws); absent = nobody is told. */
    announce?: (homeId: string, bookingId: string) => Promise<void>;
  },
  webhookEventId: string,
): Promise<CallEventOutcome> {
  const { db } = options;
  const stored = await getWebhookEventSubject(db, webhookEventId);
  if (stored?.source !== 'livekit') return { kind: 'missing' };
  if (!stored.subject) {
    await markWebhookEventProcessed(db, stored.id, options.now());
    return { kind: 'not-ours' };
  }
  const updated = await updateCallLog(db, stored.subject, { now: options.now() });
  if (!updated) {
    await markWebhookEventProcessed(db, stored.id, options.now());
    return { kind: 'no-booking', bookingId: stored.subject };
  }
  await options.announce?.(updated.booking.homeId, stored.subject);
  return { kind: 'folded', bookingId: stored.subject, overlapSeconds: updated.folded.overlapSeconds };
}

/** Options for {@link reconcileCallEvents}. */
export interface ReconcileCallEventsOptions {
  db: Db;
  /** The `call-events` queue. */
  queue: Queue;
  now: () => Date;
  /** An event stored this long ago and still unprocessed has lost its job. Default 30 s. */
  settleMs?: number;
  /** Events re-enqueued per run at most. Default 1 000. */
  limit?: number;
}

/**
 * Enqueues a job for every LiveKit event stored a while ago and still unprocessed (its hand-over failed, or Redis
 * lost the job). One job per room is enough — it folds all the room's events — so one event per room is enqueued.
 * Returns how many jobs were enqueued.
 */
export async function reconcileCallEvents(options: ReconcileCallEventsOptions): Promise<number> {
  const receivedBefore = new Date(options.now().getTime() - (options.settleMs ?? 30_000));
  const rows = await listUnprocessedRoomEvents(options.db, { receivedBefore, limit: options.limit ?? 1_000 });
  const seenRooms = new Set<string>();
  const ids: string[] = [];
  for (const row of rows) {
    if (row.subject !== null) {
      if (seenRooms.has(row.subject)) continue;
      seenRooms.add(row.subject);
    }
    ids.push(row.id);
  }
  await options.queue.addBulk(
    ids.map((id) => ({
      name: CALL_EVENT_JOB,
      data: { v: 1, webhookEventId: id } satisfies CallEventJob,
      opts: callEventJobOptions(id),
    })),
  );
  return ids.length;
}

/**
 * Makes sure the repeatable call-event reconciler exists (idempotent: a job scheduler keyed by name, so every worker
 * process may call it at start).
 */
export async function scheduleCallEventsReconciler(queue: Queue, options: { everyMs?: number } = {}): Promise<void> {
  await queue.upsertJobScheduler(
    RECONCILE_CALL_EVENTS_JOB,
    { every: options.everyMs ?? 60_000 },
    { name: RECONCILE_CALL_EVENTS_JOB },
  );
}

import type { Db } from '@affection/db';
import { type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { publishHomeChange } from '../home-changes.ts';
import type { JobLogger } from '../job-logger.ts';
import { QUEUE_NAMES } from '../queue-names.ts';
import {
  CALL_EVENT_JOB,
  CallEventJobSchema,
  processCallEvent,
  RECONCILE_CALL_EVENTS_JOB,
  reconcileCallEvents,
} from './call-events.ts';

/** What {@link createCallEventsWorker} needs. */
export interface CreateCallEventsWorkerOptions {
  connection: Redis;
  db: Db;
  /** The `call-events` queue itself, for the reconciler's enqueues. */
  queue: Queue;
  logger: JobLogger;
  now: () => Date;
  /** Jobs run in parallel by this process (rebuilds of one room queue on its log's lock). Default 5. */
  concurrency?: number;
  /** See `ReconcileCallEventsOptions.settleMs`. Default 30 000 ms. */
  reconcileSettleMs?: number;
}

/**
 * The BullMQ worker of the `call-events` queue: {@link CALL_EVENT_JOB} rebuilds a room's call log from its stored
 * events; {@link RECONCILE_CALL_EVENTS_JOB} re-enqueues events whose job was lost.
 */
export function createCallEventsWorker(deps: CreateCallEventsWorkerOptions): Worker {
  return new Worker(
    QUEUE_NAMES.callEvents,
    async (job: Job) => {
      if (job.name === RECONCILE_CALL_EVENTS_JOB) {
        const enqueued = await reconcileCallEvents({
          db: deps.db,
          queue: deps.queue,
          now: deps.now,
          ...(deps.reconcileSettleMs !== undefined ? { settleMs: deps.reconcileSettleMs } : {}),
        });
        if (enqueued > 0) deps.logger.info({ enqueued }, 'call events reconciled');
        return { enqueued };
      }
      if (job.name !== CALL_EVENT_JOB) throw new UnrecoverableError(`call-events: unknown job ${job.name}`);
      const payload = CallEventJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`call-event job ${job.id}: not a version 1 payload`);
      return processCallEvent(
        {
          db: deps.db,
          now: deps.now,
          // Not awaited: a publish waiting for Redis must not hold the fold (the boards poll meanwhile).
          announce: async (homeId, bookingId) => {
            void publishHomeChange(deps.connection, homeId, { kind: 'call', bookingId });
          },
        },
        payload.data.webhookEventId,
      );
    },
    { connection: deps.connection, concurrency: deps.concurrency ?? 5 },
  );
}

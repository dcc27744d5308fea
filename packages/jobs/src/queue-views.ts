import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES, type QueueName } from './queue-names.ts';

/** How many jobs of one queue are in each state that a person watches. */
export interface QueueCounts {
  name: QueueName;
  waiting: number;
  active: number;
  failed: number;
  delayed: number;
  completed: number;
}

/**
 * A `Queue` handle of every queue the workers consume, on an existing connection (the server's own): for looking
 * at the queues (counts, the job board) and for the few actions a person may take on a job (retry, remove,
 * promote). Nothing is enqueued through them. Closing them leaves the shared connection open.
 *
 * @example const queues = openQueueViews(redis); await queueCountsOf(queues)
 */
export function openQueueViews(connection: Redis): Queue[] {
  return Object.values(QUEUE_NAMES).map((name) => new Queue(name, { connection }));
}

/** The counts of each queue, in the order of {@link QUEUE_NAMES}. */
export async function queueCountsOf(queues: readonly Queue[]): Promise<QueueCounts[]> {
  return Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed', 'completed');
      return {
        name: queue.name as QueueName,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        failed: counts.failed ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
      };
    }),
  );
}

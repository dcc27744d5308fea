import type { Redis } from 'ioredis';

/** One job run read from a queue's event stream: from `active` to `completed` or `failed`. */
export interface JobRun {
  queue: string;
  /** `retried`: the run ended by going back to waiting or delayed (an attempt that failed, a step that retries). */
  outcome: 'completed' | 'failed' | 'retried';
  seconds: number;
}

/** Options for {@link createJobDurationReader}. */
export interface JobDurationReaderOptions {
  /** The queues: their names and BullMQ event stream keys (`bull:<name>:events`). */
  queues: readonly { name: string; eventsKey: string }[];
  /** Where reading starts, in Redis stream time (ms since the epoch). Default now: runs before it are not counted. */
  sinceMs?: number;
  /** The most `active` events kept waiting for their end, over all queues. Default 10 000. */
  maxPending?: number;
}

/** Reads job runs from BullMQ's event streams, each scrape continuing where the last one stopped. */
export interface JobDurationReader {
  /** The runs that ended since the last call (their `active` event seen too), oldest first. */
  readNewRuns(): Promise<JobRun[]>;
}

const PAGE = 1_000;
const MAX_PAGES = 20;

/**
 * Job durations without touching the workers: BullMQ writes an `active` event when a worker takes a job and a
 * `completed` or `failed` event (`prev: active`) when it ends, each with a Redis stream id whose first part is
 * Redis's clock in milliseconds. The difference is the run's duration, as a worker in any process saw it. The
 * streams are trimmed (BullMQ keeps about 10 000 events a queue), so events older than that between two scrapes are
 * not counted; a run whose `active` event came before `sinceMs` is not counted either.
 */
export function createJobDurationReader(redis: Redis, options: JobDurationReaderOptions): JobDurationReader {
  const maxPending = options.maxPending ?? 10_000;
  const lastIds = new Map(options.queues.map((q) => [q.name, `${options.sinceMs ?? Date.now()}-0`]));
  // `<queue> <jobId>` → stream ms of its latest `active` event, oldest first (a Map keeps insertion order).
  const pending = new Map<string, number>();

  async function readQueue(queue: { name: string; eventsKey: string }, runs: JobRun[]): Promise<void> {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const entries = await redis.xrange(queue.eventsKey, `(${lastIds.get(queue.name)}`, '+', 'COUNT', PAGE);
      for (const [id, fields] of entries) {
        lastIds.set(queue.name, id);
        const event = fieldOf(fields, 'event');
        const jobId = fieldOf(fields, 'jobId');
        if (!jobId) continue;
        const key = `${queue.name} ${jobId}`;
        const at = Number(id.split('-')[0]);
        if (event === 'active') {
          pending.delete(key);
          pending.set(key, at);
          if (pending.size > maxPending) pending.delete(pending.keys().next().value as string);
        } else if ((event === 'completed' || event === 'failed') && fieldOf(fields, 'prev') === 'active') {
          const started = pending.get(key);
          pending.delete(key);
          if (started !== undefined) runs.push({ queue: queue.name, outcome: event, seconds: (at - started) / 1000 });
        } else if (event === 'waiting' || event === 'delayed') {
          // Only a job seen active is pending: it left `active` for another try.
          const started = pending.get(key);
          pending.delete(key);
          if (started !== undefined)
            runs.push({ queue: queue.name, outcome: 'retried', seconds: (at - started) / 1000 });
        } else if (event === 'removed') {
          pending.delete(key);
        }
      }
      if (entries.length < PAGE) return;
    }
  }

  return {
    async readNewRuns() {
      const runs: JobRun[] = [];
      // One queue after another on the one connection: a scrape adds a few short reads, not a burst.
      for (const queue of options.queues) await readQueue(queue, runs);
      return runs;
    },
  };
}

function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

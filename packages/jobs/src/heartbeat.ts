import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Redis hash holding, per worker id, the time of its last heartbeat (ms since epoch). */
export const HEARTBEAT_KEY = 'affection:workers:heartbeat';

/** Name of the repeatable heartbeat job on the system queue. */
export const HEARTBEAT_JOB = 'heartbeat';

/** Options for {@link scheduleHeartbeat}. */
export interface HeartbeatOptions {
  /** How often a worker proves it is alive. Default 30 s. */
  everyMs?: number;
}

/**
 * Makes sure the repeatable heartbeat exists (idempotent: a job scheduler keyed by name, so
 * every process may call it at start).
 */
export async function scheduleHeartbeat(queue: Queue, options: HeartbeatOptions = {}): Promise<void> {
  await queue.upsertJobScheduler(HEARTBEAT_JOB, { every: options.everyMs ?? 30_000 }, { name: HEARTBEAT_JOB });
}

/** Records that `workerId` processed a heartbeat at `now`. */
export async function recordHeartbeat(redis: Redis, workerId: string, now: Date): Promise<void> {
  await redis.hset(HEARTBEAT_KEY, workerId, String(now.getTime()));
}

/** The last heartbeat of every worker, newest first. */
export async function listHeartbeats(redis: Redis): Promise<{ workerId: string; at: Date }[]> {
  const entries = await redis.hgetall(HEARTBEAT_KEY);
  return Object.entries(entries)
    .map(([workerId, ms]) => ({ workerId, at: new Date(Number(ms)) }))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

import { Queue, Worker } from 'bullmq';
import { HEARTBEAT_JOB, recordHeartbeat, scheduleHeartbeat } from './heartbeat.ts';
import type { JobLogger } from './job-logger.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import { createWorkerConnection } from './redis-connection.ts';

/** Options for {@link startWorkers}. */
export interface StartWorkersOptions {
  redisUrl: string;
  /** Names this process in heartbeats and logs. */
  workerId: string;
  logger: JobLogger;
  /** Heartbeat period. Default 30 s. */
  heartbeatEveryMs?: number;
  /** Clock for recorded times. Default the system clock. */
  now?: () => Date;
}

/** Running workers. */
export interface RunningWorkers {
  /** Lets active jobs finish, then closes every worker and connection. */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker for every queue and the repeatable jobs. Used by `apps/worker` (its own
 * process) and by `npm start` (in the server's process).
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const now = options.now ?? (() => new Date());
  const connection = createWorkerConnection(options.redisUrl);
  const queueConnection = createWorkerConnection(options.redisUrl);
  const systemQueue = new Queue(QUEUE_NAMES.system, { connection: queueConnection });
  await scheduleHeartbeat(systemQueue, { everyMs: options.heartbeatEveryMs });

  const systemWorker = new Worker(
    QUEUE_NAMES.system,
    async (job) => {
      if (job.name === HEARTBEAT_JOB) await recordHeartbeat(connection, options.workerId, now());
    },
    { connection: createWorkerConnection(options.redisUrl), concurrency: 1 },
  );
  systemWorker.on('failed', (job, error) =>
    options.logger.warn({ queue: QUEUE_NAMES.system, job: job?.name, reason: error.message }, 'job failed'),
  );
  await systemWorker.waitUntilReady();
  options.logger.info({ workerId: options.workerId, queues: Object.values(QUEUE_NAMES) }, 'workers started');

  return {
    async close() {
      await systemWorker.close();
      await systemQueue.close();
      await queueConnection.quit().catch(() => queueConnection.disconnect());
      await connection.quit().catch(() => connection.disconnect());
      options.logger.info({ workerId: options.workerId }, 'workers stopped');
    },
  };
}

import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '@affection/config';
import { type RunningWorkers, startWorkers } from '@affection/jobs';
import pino, { type Logger } from 'pino';
import { readWorkerConfig } from './env.ts';

/** A running worker process's handle. */
export interface RunningWorkerProcess {
  workers: RunningWorkers;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * Starts every queue's worker against `REDIS_URL`. In production this runs as its own process
 * (`npm run start -w @affection/worker`), scaled per queue; `npm start` runs it in-process.
 */
export async function startWorker(config: AppConfig, logger?: Logger): Promise<RunningWorkerProcess> {
  const log = logger ?? pino({ level: config.logLevel, base: { service: 'affection-worker' } });
  if (!config.redisUrl) throw new Error('REDIS_URL is required to start the workers.');
  const workers = await startWorkers({
    redisUrl: config.redisUrl,
    workerId: `${os.hostname()}:${process.pid}`,
    logger: log,
  });
  return { workers, logger: log, close: () => workers.close() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let config: AppConfig;
  try {
    config = readWorkerConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const running = await startWorker(config);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'signal received: draining workers');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

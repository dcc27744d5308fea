import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '@affection/config';
import type { CallRooms, PhoneBridge, VoiceNotifier } from '@affection/core';
import { type LifecycleWorkerOptions, type RunningWorkers, type SmsWorkerOptions, startWorkers } from '@affection/jobs';
import {
  type ConfiguredSmsSender,
  createRuntime,
  exitOnSignals,
  migratesOnStart,
  ProductionConfigError,
  productionProblems,
  type Runtime,
  type ShutdownStep,
  unsupportedNodeProblem,
} from '@affection/runtime';
import type { Logger } from 'pino';
import { readWorkerConfig } from './env.ts';

/** Where Twilio reports message status: the server's status webhook, under PUBLIC_URL. */
export const TWILIO_STATUS_CALLBACK_PATH = '/webhooks/twilio/status';

/** How long active jobs may finish on shutdown before the workers are closed without waiting. */
export const WORKER_CLOSE_TIMEOUT_MS = 5_000;

/** Running workers composed from a runtime. */
export interface RunningWorkerProcess {
  workers: RunningWorkers;
  logger: Logger;
  /** Lets active jobs finish (at most {@link WORKER_CLOSE_TIMEOUT_MS}), then closes the workers' connections. */
  close(): Promise<void>;
  /** {@link RunningWorkerProcess.close} as a shutdown step. */
  shutdownSteps(): ShutdownStep[];
}

/** Options for {@link startWorker}: what a test replaces, and queue tuning. */
export interface StartWorkerOptions {
  /** Default the runtime's (Twilio or the outbox). */
  sms?: ConfiguredSmsSender;
  /** Tuning of the `sms` queue; the status callback URL defaults to PUBLIC_URL's when Twilio is used. */
  smsOptions?: SmsWorkerOptions;
  /** Video rooms for the booking steps. Default the runtime's (LiveKit when configured, else none). */
  callRooms?: CallRooms | null;
  /** Rings parents' phones. Default the runtime's (only when SIP is configured). */
  phoneBridge?: PhoneBridge | null;
  /** Places voice notification calls. Default the runtime's (Alibaba Cloud when configured, else the outbox). */
  voiceNotifier?: VoiceNotifier | null;
  /** Tuning of the `lifecycle` queue (booking steps). */
  lifecycleOptions?: LifecycleWorkerOptions;
}

/**
 * Starts every queue's worker on the runtime's Redis and database, with its SMS sender, rooms, phone bridge and SMS
 * policies, logging through the runtime's logger. In production this runs as its own process (`npm run start -w
 * @affection/worker`, with REDIS_URL and DATABASE_URL), scaled per queue; `npm start` runs it in the server's process.
 */
export async function startWorker(runtime: Runtime, options: StartWorkerOptions = {}): Promise<RunningWorkerProcess> {
  const { config, logger } = runtime;
  if (!config.redisUrl) throw new Error('REDIS_URL is required to start the workers.');
  const sms = options.sms ?? runtime.sms;
  const workers = await startWorkers({
    redisUrl: config.redisUrl,
    workerId: `${os.hostname()}:${process.pid}`,
    logger,
    db: runtime.database.db,
    now: runtime.now,
    smsSender: sms.sender,
    smsProvider: sms.providerFor,
    sms: {
      ...(sms.providers.includes('twilio')
        ? { statusCallbackUrl: `${config.publicUrl}${TWILIO_STATUS_CALLBACK_PATH}` }
        : {}),
      ...(sms.providers.includes('aliyun') ? { sendCapsFor: sms.sendCapsFor } : {}),
      ...options.smsOptions,
    },
    callRooms: options.callRooms !== undefined ? options.callRooms : runtime.callRooms,
    phoneBridge: options.phoneBridge !== undefined ? options.phoneBridge : await runtime.phoneBridge(),
    voiceNotifier: options.voiceNotifier !== undefined ? options.voiceNotifier : runtime.voiceNotifier,
    lifecycle: options.lifecycleOptions ?? {},
    smsPolicies: runtime.smsPolicies,
  });
  const close = () => workers.close(WORKER_CLOSE_TIMEOUT_MS);
  return {
    workers,
    logger,
    close,
    shutdownSteps: () => [{ name: 'workers', timeoutMs: WORKER_CLOSE_TIMEOUT_MS + 2_000, run: close }],
  };
}

/** Prints why the process cannot start (plain text for the person at the terminal) and exits 1. */
function refuse(error: unknown): never {
  console.error((error as Error).message);
  process.exit(1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const oldNode = unsupportedNodeProblem(process.version);
  if (oldNode) refuse(new Error(oldNode));
  let config: AppConfig;
  try {
    config = readWorkerConfig();
  } catch (error) {
    refuse(error);
  }
  const problems = productionProblems(config, { startsDevLivekit: false, seedsDemoHome: false });
  if (problems.length > 0) refuse(new ProductionConfigError(problems));
  if (!config.databaseUrl) {
    refuse(
      new Error(
        'DATABASE_URL is required to run the workers in their own process: the embedded PGlite belongs to ' +
          'one process (npm start runs the workers inside the server).',
      ),
    );
  }
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, {
      service: 'affection-worker',
      maxConnections: 20,
      migrate: migratesOnStart(config, process.argv),
    });
  } catch (error) {
    refuse(error);
  }
  let running: RunningWorkerProcess;
  try {
    running = await startWorker(runtime);
  } catch (error) {
    await runtime.closeConnections();
    await runtime.closeDatabase();
    refuse(error);
  }
  // SIGTERM drains: no new jobs are taken, active sends finish and are recorded, then we exit.
  exitOnSignals(() => [...running.shutdownSteps(), ...runtime.shutdownSteps()], runtime.logger);
}

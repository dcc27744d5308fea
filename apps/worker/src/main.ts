import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '@affection/config';
import type { CallRooms, PhoneBridge, SmsSender } from '@affection/core';
import { type Database, migrateDatabase, openDatabase } from '@affection/db';
import { type LifecycleWorkerOptions, type RunningWorkers, type SmsWorkerOptions, startWorkers } from '@affection/jobs';
import {
  LivekitCallRooms,
  LivekitPhoneBridge,
  OutboxSmsSender,
  provisionSip,
  TwilioSmsSender,
} from '@affection/telephony';
import pino, { type Logger } from 'pino';
import { readWorkerConfig } from './env.ts';

/** Where Twilio reports message status: the server's status webhook, under PUBLIC_URL. */
export const TWILIO_STATUS_CALLBACK_PATH = '/webhooks/twilio/status';

/** The outbound SIP trunk parents are rung through: `npm run telephony:provision`'s default name. */
export const OUTBOUND_TRUNK_NAME = 'affection-outbound';

/** A running worker process's handle. */
export interface RunningWorkerProcess {
  workers: RunningWorkers;
  logger: Logger;
  /** Lets active jobs finish, closes the workers, then the database if this process opened it. */
  close(): Promise<void>;
}

/** The SMS provider the workers send through, and its name as recorded on each message. */
export interface WorkerSmsSender {
  sender: SmsSender;
  provider: 'twilio' | 'outbox';
}

/** Options for {@link startWorker}. */
export interface StartWorkerOptions {
  /** Default a pino logger at the configured level. */
  logger?: Logger;
  /**
   * The system of record. `npm start` passes the server's (PGlite belongs to one process); by
   * default the worker opens and migrates the PostgreSQL server named by `DATABASE_URL`.
   */
  database?: Database;
  /** Default {@link smsSenderFor} the config and the database. */
  sms?: WorkerSmsSender;
  /** Tuning of the `sms` queue; the status callback URL defaults to PUBLIC_URL's when Twilio is used. */
  smsOptions?: SmsWorkerOptions;
  /** Video rooms for the booking steps. Default LiveKit when configured, else none (rooms are `unavailable`). */
  callRooms?: CallRooms | null;
  /** Rings parents' phones. Default {@link phoneBridgeFor} the config: only when SIP is configured. */
  phoneBridge?: PhoneBridge | null;
  /** Tuning of the `lifecycle` queue (booking steps). */
  lifecycleOptions?: LifecycleWorkerOptions;
}

/**
 * The SMS provider the config names: Twilio when `TWILIO_*` is set, otherwise the database outbox
 * (each message stored for the console to show; nothing leaves the machine).
 */
export function smsSenderFor(config: AppConfig, database: Database): WorkerSmsSender {
  if (config.twilio) {
    return {
      provider: 'twilio',
      sender: new TwilioSmsSender({
        accountSid: config.twilio.accountSid,
        authToken: config.twilio.authToken,
        ...(config.twilio.messagingServiceSid
          ? { messagingServiceSid: config.twilio.messagingServiceSid }
          : { from: config.twilio.from }),
      }),
    };
  }
  return { provider: 'outbox', sender: new OutboxSmsSender({ db: database.db }) };
}

/**
 * The phone bridge the config allows: only with LiveKit and SIP configured (`SIP_OUTBOUND_*`), ringing through the
 * outbound trunk {@link OUTBOUND_TRUNK_NAME}, made sure of first (idempotent, as `npm run telephony:provision` does).
 * Null otherwise, or when LiveKit refuses the trunk (logged): ringing is then recorded as `unavailable`.
 */
export async function phoneBridgeFor(config: AppConfig, log: Logger): Promise<PhoneBridge | null> {
  const { livekit, sip } = config;
  if (!livekit || !sip) return null;
  try {
    const { outboundTrunk } = await provisionSip({
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outbound: {
        name: OUTBOUND_TRUNK_NAME,
        address: sip.outbound.address,
        numbers: [sip.outbound.number],
        ...(sip.outbound.auth
          ? { authUsername: sip.outbound.auth.username, authPassword: sip.outbound.auth.password }
          : {}),
      },
    });
    return new LivekitPhoneBridge({
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: outboundTrunk.id,
      fromNumber: sip.outbound.number,
    });
  } catch (error) {
    log.warn({ reason: (error as Error).message }, 'phone calling unavailable: the outbound SIP trunk is not set up');
    return null;
  }
}

/** Opens and migrates the PostgreSQL server named by `DATABASE_URL`; a worker process cannot share PGlite. */
async function openWorkerDatabase(config: AppConfig): Promise<Database> {
  if (!config.databaseUrl) {
    throw new Error(
      'DATABASE_URL is required to run the workers in their own process: the embedded PGlite belongs to ' +
        'one process (npm start runs the workers inside the server).',
    );
  }
  const database = await openDatabase({ kind: 'postgres', url: config.databaseUrl, maxConnections: 20 });
  await migrateDatabase(database);
  return database;
}

/**
 * Starts every queue's worker against `REDIS_URL` and the database. In production this runs as its
 * own process (`npm run start -w @affection/worker`, with REDIS_URL and DATABASE_URL), scaled per
 * queue; `npm start` runs it in the server's process with the server's database.
 */
export async function startWorker(config: AppConfig, options: StartWorkerOptions = {}): Promise<RunningWorkerProcess> {
  const log = options.logger ?? pino({ level: config.logLevel, base: { service: 'affection-worker' } });
  if (!config.redisUrl) throw new Error('REDIS_URL is required to start the workers.');
  const ownsDatabase = !options.database;
  const database = options.database ?? (await openWorkerDatabase(config));
  try {
    const sms = options.sms ?? smsSenderFor(config, database);
    const callRooms =
      options.callRooms !== undefined
        ? options.callRooms
        : config.livekit
          ? new LivekitCallRooms(config.livekit)
          : null;
    const phoneBridge = options.phoneBridge !== undefined ? options.phoneBridge : await phoneBridgeFor(config, log);
    const workers = await startWorkers({
      redisUrl: config.redisUrl,
      workerId: `${os.hostname()}:${process.pid}`,
      logger: log,
      db: database.db,
      smsSender: sms.sender,
      smsProvider: sms.provider,
      sms: {
        ...(sms.provider === 'twilio'
          ? { statusCallbackUrl: `${config.publicUrl}${TWILIO_STATUS_CALLBACK_PATH}` }
          : {}),
        ...options.smsOptions,
      },
      callRooms,
      phoneBridge,
      lifecycle: options.lifecycleOptions ?? {},
    });
    return {
      workers,
      logger: log,
      async close() {
        await workers.close();
        if (ownsDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let config: AppConfig;
  try {
    config = readWorkerConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let running: RunningWorkerProcess;
  try {
    running = await startWorker(config);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  let stopping = false;
  // SIGTERM drains: no new jobs are taken, active sends finish and are recorded, then we exit.
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

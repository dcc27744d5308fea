import type { AppConfig } from '@affection/config';
import {
  type CallRooms,
  DEFAULT_SMS_COUNTRY_POLICIES,
  type PhoneBridge,
  type SmsCountryPolicies,
  type VoiceNotifier,
} from '@affection/core';
import { createDatabaseChangeFeed, type Database, type DatabaseChangeFeed, errorForLog } from '@affection/db';
import {
  createHomeChangeFeed,
  createProducerConnection,
  createWorkerConnection,
  type HomeChangeFeed,
  watchRedisErrors,
} from '@affection/jobs';
import {
  createTwilioSignatureVerifier,
  LivekitCallRooms,
  LivekitWebhookVerifier,
  type TwilioSignatureVerifier,
} from '@affection/telephony';
import { Redis } from 'ioredis';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from './create-logger.ts';
import type { DataDirLock } from './data-dir-lock.ts';
import { openConfiguredDatabase } from './open-configured-database.ts';
import { phoneBridgeFor } from './phone-bridge-for.ts';
import { type ShutdownStep, settleWithin } from './shutdown.ts';
import { type ConfiguredSmsSender, smsSenderFor } from './sms-sender-for.ts';
import { voiceNotifierFor } from './voice-notifier-for.ts';

/** Options for {@link createRuntime}. */
export interface CreateRuntimeOptions {
  /** Names the process in every log line, e.g. `affection-server`. */
  service: string;
  /** Where log lines go; default stdout. */
  logDestination?: DestinationStream;
  /** A logger made by the same factory (`createLogger`) to share, e.g. `npm start`'s, made before its Redis. */
  logger?: Logger;
  /** Pool size of a PostgreSQL server. Default the database package's. */
  maxConnections?: number;
  /** An open, migrated database to use instead of opening the configured one (it is not closed by the runtime). */
  database?: Database;
  /** The `DATA_DIR` lock this process already holds (see `openConfiguredDatabase`). */
  dataDirLock?: DataDirLock;
  /** The clock. Default the system clock. */
  now?: () => Date;
  /**
   * Apply pending migrations when opening the configured database (default true). When false, a database with
   * migrations pending is refused (`DatabaseNotMigratedError`).
   */
  migrate?: boolean;
}

/** What the server needs of LiveKit, built from `LIVEKIT_*`. */
export interface RuntimeLivekit {
  /** Where browsers join calls (`LIVEKIT_URL`). */
  clientUrl: string;
  /** LiveKit's server API (the health check lists rooms with it). */
  roomService: RoomServiceClient;
  /** Checks LiveKit's webhooks. */
  webhooks: LivekitWebhookVerifier;
}

/** What a Redis connection is for: it decides how requests wait while Redis is away. */
export type RedisConnectionKind = 'worker' | 'producer' | 'app';

/** Everything built once from the validated config; each main composes what it needs from it. */
export interface Runtime {
  config: AppConfig;
  logger: Logger;
  /** The one logger factory (redaction included), for a second logger with its own service name. */
  createLogger(service: string): Logger;
  now: () => Date;
  /** Opened and migrated. */
  database: Database;
  /** `SMS_COUNTRY_POLICIES` over the core's defaults. */
  smsPolicies: SmsCountryPolicies;
  sms: ConfiguredSmsSender;
  /** Video rooms for bookings; `null` when LiveKit is not configured. */
  callRooms: CallRooms | null;
  livekit: RuntimeLivekit | null;
  /** Checks `X-Twilio-Signature`; `null` when Twilio is not configured. */
  twilioWebhooks: TwilioSignatureVerifier | null;
  /** Places voice notification calls: Alibaba Cloud when configured, else the outbox (rows only). */
  voiceNotifier: VoiceNotifier;
  /**
   * A new Redis connection of `kind` (`worker`: waits for Redis, as BullMQ's workers need; `producer`: fails fast;
   * `app`: fails fast, for the server's own commands), with its errors logged as JSON. Closed by
   * {@link Runtime.closeConnections}. Throws when `REDIS_URL` is unset.
   */
  redis(kind: RedisConnectionKind, name: string): Redis;
  /** The phone bridge (provisions the outbound trunk on first use); `null` without LiveKit SIP. */
  phoneBridge(): Promise<PhoneBridge | null>;
  /**
   * The process's one feed of Home changes (the live board's events over Redis pub/sub): one subscriber
   * connection and one publisher, made on first use and closed with the other connections.
   */
  homeChangeFeed(): HomeChangeFeed;
  /**
   * The process's one feed of the database's change notifications (one listening connection on a PostgreSQL server),
   * made on first use and closed before the database; what the slot read model and the staff session cache trust.
   */
  databaseChanges(): Promise<DatabaseChangeFeed>;
  /** Closes every Redis connection it made: `quit` when connected (1 s at most), else dropped at once. */
  closeConnections(): Promise<void>;
  /** Closes the database if the runtime opened it (releasing the `DATA_DIR` lock). */
  closeDatabase(): Promise<void>;
  /** {@link Runtime.closeConnections} and {@link Runtime.closeDatabase} as shutdown steps, in that order. */
  shutdownSteps(): ShutdownStep[];
}

/** The core's SMS policies with `SMS_COUNTRY_POLICIES` laid over them. */
export function smsPoliciesOf(config: AppConfig): SmsCountryPolicies {
  // Through Alibaba Cloud, mainland numbers get only the templates that have an approved code.
  const templatesOnly = config.aliyunSms
    ? { templatesOnly: { callingCodes: ['86'], approved: Object.keys(config.aliyunSms.templateCodes) } }
    : {};
  if (!config.smsPolicies)
    return config.aliyunSms ? { ...DEFAULT_SMS_COUNTRY_POLICIES, ...templatesOnly } : DEFAULT_SMS_COUNTRY_POLICIES;
  return {
    byCallingCode: { ...DEFAULT_SMS_COUNTRY_POLICIES.byCallingCode, ...config.smsPolicies.byCallingCode },
    fallback: config.smsPolicies.fallback ?? DEFAULT_SMS_COUNTRY_POLICIES.fallback,
    ...templatesOnly,
  };
}

/** Closes a Redis connection: `quit` if it is connected (within `ms`), otherwise (or after that) drops it. */
export async function closeRedis(client: Redis, ms = 1_000): Promise<void> {
  if (client.status === 'ready' && (await settleWithin(client.quit(), ms)) === 'done') return;
  client.disconnect();
}

/**
 * The composition root: from the validated config, builds the logger, the clock, the database (opened and
 * migrated; the embedded one under the `DATA_DIR` lock), the SMS sender (Twilio or the outbox), the call rooms and
 * LiveKit clients, the Twilio webhook verifier and the SMS country policies, and hands out Redis connections with
 * their error handlers. The server main, the worker main and `npm start` compose what they need from it.
 *
 * @example const runtime = await createRuntime(config, { service: 'affection-worker' });
 */
export async function createRuntime(config: AppConfig, options: CreateRuntimeOptions): Promise<Runtime> {
  const makeLogger = (service: string) =>
    createLogger({
      service,
      level: config.logLevel,
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    });
  const logger = options.logger ?? makeLogger(options.service);
  const now = options.now ?? (() => new Date());
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await openConfiguredDatabase(config, {
      ...(options.dataDirLock ? { dataDirLock: options.dataDirLock } : {}),
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
      ...(options.migrate !== undefined ? { migrate: options.migrate } : {}),
    }));
  const { livekit, twilio } = config;
  const connections = new Set<Redis>();
  let phoneBridge: Promise<PhoneBridge | null> | undefined;
  let homeChangeFeed: HomeChangeFeed | undefined;
  let databaseChanges: Promise<DatabaseChangeFeed> | undefined;
  const runtime: Runtime = {
    config,
    logger,
    createLogger: makeLogger,
    now,
    database,
    smsPolicies: smsPoliciesOf(config),
    sms: smsSenderFor(config, database, options.now),
    callRooms: livekit ? new LivekitCallRooms(livekit) : null,
    livekit: livekit
      ? {
          clientUrl: livekit.url,
          roomService: new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret),
          webhooks: new LivekitWebhookVerifier(livekit),
        }
      : null,
    twilioWebhooks: twilio ? createTwilioSignatureVerifier({ authToken: twilio.authToken }) : null,
    voiceNotifier: voiceNotifierFor(config),
    redis(kind, name) {
      if (!config.redisUrl) throw new Error('REDIS_URL is required here (npm start starts a Redis for you).');
      const watch = { logger, name };
      const client =
        kind === 'worker'
          ? createWorkerConnection(config.redisUrl, watch)
          : kind === 'producer'
            ? createProducerConnection(config.redisUrl, watch)
            : watchRedisErrors(new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true }), watch);
      connections.add(client);
      return client;
    },
    phoneBridge() {
      phoneBridge ??= phoneBridgeFor(config, logger);
      return phoneBridge;
    },
    homeChangeFeed() {
      homeChangeFeed ??= createHomeChangeFeed({
        subscriber: runtime.redis('app', 'home-changes-subscriber'),
        publisher: runtime.redis('producer', 'home-changes-publisher'),
      });
      return homeChangeFeed;
    },
    async closeConnections() {
      await Promise.all([...connections].map((client) => closeRedis(client)));
      connections.clear();
    },
    databaseChanges() {
      databaseChanges ??= createDatabaseChangeFeed(database, {
        onState: (state, error) => {
          if (state === 'lost')
            logger.warn({ err: errorForLog(error) }, 'database change feed lost: reading the database');
          else logger.info('database change feed listening');
        },
      });
      return databaseChanges;
    },
    async closeDatabase() {
      const changes = databaseChanges;
      databaseChanges = undefined;
      await (await changes)?.close();
      if (ownsDatabase) await database.close();
    },
    shutdownSteps() {
      return [
        {
          name: 'redis connections',
          timeoutMs: 2_000,
          run: () => runtime.closeConnections(),
          force: () => {
            for (const client of connections) client.disconnect();
          },
        },
        { name: 'database', timeoutMs: 10_000, run: () => runtime.closeDatabase() },
      ];
    },
  };
  return runtime;
}

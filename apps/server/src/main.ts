import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '@affection/config';
import type { SmsSender } from '@affection/core';
import { type Database, migrateDatabase, openDatabase } from '@affection/db';
import { createBookingLifecycleProducer, createCallEventsProducer, createProducerConnection } from '@affection/jobs';
import {
  createTwilioSignatureVerifier,
  LivekitCallRooms,
  LivekitWebhookVerifier,
  OutboxSmsSender,
  TwilioSmsSender,
} from '@affection/telephony';
import { type ServerType, serve } from '@hono/node-server';
import { Redis } from 'ioredis';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { DestinationStream, Logger } from 'pino';
import { createApp } from './app.ts';
import { readServerConfig } from './env.ts';
import { answerClientErrors } from './errors/answer-client-errors.ts';
import { safeErrorForLog } from './errors/safe-error.ts';
import { createLogger } from './logger.ts';
import type { AppServices } from './services.ts';

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Options for {@link startServer}. */
export interface StartServerOptions {
  /** Log destination (tests read it); default stdout. */
  logDestination?: DestinationStream;
  /** Serve the built web apps. Default true. */
  serveWeb?: boolean;
  /** Runs once the services exist, before listening (npm start seeds the demo Home here). */
  beforeListen?: (services: AppServices) => Promise<void>;
  /** Extra work to close on shutdown, after the HTTP server and before Redis and the database (e.g. in-process workers). */
  onShutdown?: () => Promise<void>;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  services: AppServices;
  logger: Logger;
  /** Stops accepting, finishes in-flight requests, then closes Redis and the database. */
  close(): Promise<void>;
}

/** Opens the database named by the config (PGlite in `DATA_DIR/pglite` by default) and migrates it. */
export async function openConfiguredDatabase(config: AppConfig): Promise<Database> {
  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
  await migrateDatabase(database);
  return database;
}

/**
 * Creates every client (database, Redis, LiveKit, Twilio or the SMS outbox), builds the app and
 * listens. The only place the server creates clients.
 */
export async function startServer(config: AppConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger({ level: config.logLevel, destination: options.logDestination });
  if (!config.redisUrl)
    throw new Error('REDIS_URL is required to start the server (npm start starts a Redis for you).');
  const database = await openConfiguredDatabase(config);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', (error) => logger.warn({ err: { message: error.message } }, 'redis connection error'));
  await redis.connect().catch((error: Error) => {
    throw new Error(`Cannot connect to Redis at ${config.redisUrl}: ${error.message}`);
  });
  const livekitRooms = config.livekit
    ? new RoomServiceClient(config.livekit.url.replace(/^ws/, 'http'), config.livekit.apiKey, config.livekit.apiSecret)
    : null;
  const { livekit, twilio } = config;
  const sms: SmsSender = twilio
    ? new TwilioSmsSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        // A Messaging Service wins when both are set: it picks the right sender per country.
        ...(twilio.messagingServiceSid ? { messagingServiceSid: twilio.messagingServiceSid } : { from: twilio.from }),
      })
    : new OutboxSmsSender({ db: database.db });
  const services: AppServices = {
    database,
    redis,
    livekitRooms,
    sms,
    callRooms: livekit ? new LivekitCallRooms(livekit) : null,
    livekitClientUrl: livekit?.url ?? null,
    livekitWebhooks: livekit ? new LivekitWebhookVerifier(livekit) : null,
    twilioWebhooks: twilio ? createTwilioSignatureVerifier({ authToken: twilio.authToken }) : null,
    livekitSipHost: config.livekitSipHost ?? null,
    logger,
    now: () => new Date(),
    settings: {
      publicUrl: config.publicUrl,
      secureCookies: config.publicUrl.startsWith('https:') || config.nodeEnv === 'production',
      trustProxy: config.trustProxy,
    },
  };
  await options.beforeListen?.(services);
  // Changed bookings get their lifecycle planned and enqueued, and stored LiveKit events go to the call-events
  // queue, unless `beforeListen` plugged in its own hand-overs; both producers share one fail-fast connection.
  let producerConnection: Redis | undefined;
  const producers: { close(): Promise<void> }[] = [];
  if (!services.onBookingChanged || !services.onLivekitEvent) {
    const connection = createProducerConnection(config.redisUrl);
    connection.on('error', () => {});
    producerConnection = connection;
    if (!services.onBookingChanged) {
      const producer = createBookingLifecycleProducer({
        connection,
        db: database.db,
        now: services.now,
        logger,
        ...(services.smsPolicies ? { smsPolicies: services.smsPolicies } : {}),
      });
      producers.push(producer);
      services.onBookingChanged = producer.onBookingChanged;
    }
    if (!services.onLivekitEvent) {
      const producer = createCallEventsProducer(connection);
      producers.push(producer);
      services.onLivekitEvent = (_event, stored) => producer.enqueue(stored.webhookEventId);
    }
  }
  const app = createApp(services, { appsDir: options.serveWeb === false ? undefined : appsDir });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  answerClientErrors(server, logger);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, db: database.kind, livekit: livekitRooms ? 'on' : 'off', sms: twilio ? 'twilio' : 'outbox' },
    'server listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      logger.info('shutting down: no new connections, finishing in-flight requests');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await options.onShutdown?.();
      for (const producer of producers) await producer.close().catch(() => undefined);
      await producerConnection?.quit().catch(() => producerConnection?.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
      logger.info('stopped');
    })();
    return closing;
  };
  return { url: `http://${config.host}:${port}`, port, services, logger, close };
}

/** Stops `running` on SIGTERM or SIGINT, then exits. */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: safeErrorForLog(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let config: AppConfig;
  try {
    config = readServerConfig();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const running = await startServer(config);
  closeOnSignals(running.close, running.logger);
}

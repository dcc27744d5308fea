import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSlotReadModel } from '@affection/bookings';
import type { AppConfig } from '@affection/config';
import { type Database, type DatabaseChangeFeed, DEMO_LOGINS, findStaffForLogin } from '@affection/db';
import { createBookingLifecycleProducer, createCallEventsProducer } from '@affection/jobs';
import {
  createRuntime,
  exitOnSignals,
  migratesOnStart,
  ProductionConfigError,
  productionProblems,
  type Runtime,
  type ShutdownStep,
  unsupportedNodeProblem,
} from '@affection/runtime';
import { type ServerType, serve } from '@hono/node-server';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { verifyPassword } from './auth/passwords.ts';
import { createStaffSessionCache } from './auth/staff-session-cache.ts';
import { readServerConfig } from './env.ts';
import { answerClientErrors } from './errors/answer-client-errors.ts';
import { settleFamilyCodeDeliveries } from './routes/family/deliver-family-code.ts';
import type { AppServices } from './services.ts';

// What the scripts (`admin:create`, the seeds, `npm start`) need of the server besides starting it.
export { hashPassword, MIN_PASSWORD_LENGTH } from './auth/passwords.ts';

const appsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** How long in-flight requests may finish after the server stops accepting. */
export const DRAIN_TIMEOUT_MS = 10_000;

/** How long the family sign-in codes still being sent may take at shutdown, after the requests drained. */
export const FAMILY_CODES_TIMEOUT_MS = 5_000;

/** Where the server hands what happened: required, passed when the services are built. */
export interface ServerPorts {
  /** Plans a changed booking's lifecycle (see {@link AppServices.onBookingChanged}). */
  onBookingChanged: AppServices['onBookingChanged'];
  /** Hands a stored LiveKit event to the call-log fold (see {@link AppServices.onLivekitEvent}). */
  onLivekitEvent: AppServices['onLivekitEvent'];
}

/** {@link ServerPorts} that enqueue on Redis, and the queues to close. */
export interface QueueProducers extends ServerPorts {
  close(): Promise<void>;
}

/**
 * The ports of a server that runs without workers in its process: changed bookings are planned and enqueued on the
 * `lifecycle` and `sms` queues, stored LiveKit events on `call-events`, over one fail-fast producer connection.
 */
export function createQueueProducers(runtime: Runtime): QueueProducers {
  const connection = runtime.redis('producer', 'producer');
  const lifecycle = createBookingLifecycleProducer({
    connection,
    db: runtime.database.db,
    now: runtime.now,
    logger: runtime.logger,
    smsPolicies: runtime.smsPolicies,
  });
  const callEvents = createCallEventsProducer(connection);
  return {
    onBookingChanged: lifecycle.onBookingChanged,
    onLivekitEvent: (_event, stored) => callEvents.enqueue(stored.webhookEventId),
    async close() {
      await Promise.all([lifecycle.close(), callEvents.close()]);
    },
  };
}

/** The request handlers' services, from the runtime, the server's Redis connection and the ports. */
export function createServices(
  runtime: Runtime,
  redis: Redis,
  ports: ServerPorts,
  changes?: DatabaseChangeFeed,
): AppServices {
  const { config } = runtime;
  const db = runtime.database.db;
  return {
    database: runtime.database,
    redis,
    livekitRooms: runtime.livekit?.roomService ?? null,
    logger: runtime.logger,
    now: runtime.now,
    settings: {
      publicUrl: config.publicUrl,
      secureCookies: config.publicUrl.startsWith('https:') || config.nodeEnv === 'production',
      trustProxy: config.trustProxy,
      showSignInCodes: config.outboxShowsSignInCodes,
      canRingPhones: config.livekit !== null && config.sip !== null,
      metricsToken: config.metricsToken,
      aliyunVoiceReport: config.aliyunVoice?.reportToken
        ? { token: config.aliyunVoice.reportToken, allowedAddresses: config.aliyunVoice.reportAllowedIps }
        : null,
      aliyunSmsReport: config.aliyunSms?.reportToken
        ? { token: config.aliyunSms.reportToken, allowedAddresses: config.aliyunSms.reportAllowedIps }
        : null,
    },
    sms: runtime.sms.sender,
    smsRouting: runtime.sms,
    callRooms: runtime.callRooms,
    livekitClientUrl: runtime.livekit?.clientUrl ?? null,
    livekitWebhooks: runtime.livekit?.webhooks ?? null,
    twilioWebhooks: runtime.twilioWebhooks,
    livekitSipHost: config.livekitSipHost ?? null,
    smsPolicies: runtime.smsPolicies,
    onBookingChanged: ports.onBookingChanged,
    onLivekitEvent: ports.onLivekitEvent,
    homeChanges: runtime.homeChangeFeed(),
    slotReadModel: changes ? createSlotReadModel({ db, changes }) : null,
    staffSessions: changes ? createStaffSessionCache({ db, changes }) : null,
  };
}

/**
 * Production's check of the database: the demo Home's published logins (`npm start` seeds them into an empty
 * database) must not sign anyone in. One sentence per login that still works with its published password.
 */
export async function demoLoginProblems(database: Database): Promise<string[]> {
  const logins = [
    DEMO_LOGINS.admin,
    ...[1, 2, 3, 4, 5, 6].map((n) => ({ username: `teacher${n}`, password: DEMO_LOGINS.teacherPassword })),
  ];
  const working: string[] = [];
  for (const login of logins) {
    const found = await findStaffForLogin(database.db, { username: login.username });
    if (found && (await verifyPassword(found.passwordHash, login.password))) working.push(login.username);
  }
  return working.length === 0
    ? []
    : [
        `the database holds the demo Home's logins with their published passwords (${working.join(', ')}): ` +
          'change those passwords or deactivate those accounts, or start from an empty database',
      ];
}

/** Options for {@link startServer}. */
export interface StartServerOptions {
  /** Serve the built web apps. Default true. */
  serveWeb?: boolean;
}

/** A running server. */
export interface RunningServer {
  url: string;
  port: number;
  services: AppServices;
  logger: Logger;
  /**
   * Stops accepting and lets in-flight requests finish for up to {@link DRAIN_TIMEOUT_MS}, then drops the
   * connections left. Closes nothing of the runtime's (Redis, the database): the main does, after the workers.
   */
  close(): Promise<void>;
  /**
   * {@link RunningServer.close} as the first shutdown step, then the family sign-in codes still being sent (each
   * within {@link FAMILY_CODES_TIMEOUT_MS}).
   */
  shutdownSteps(): ShutdownStep[];
}

/**
 * Composes the HTTP server from the runtime: its own Redis connection (checked now: a missing Redis is a clear
 * error at start), the services with the given ports, the app; then listens on `HOST:PORT`.
 */
export async function startServer(
  runtime: Runtime,
  ports: ServerPorts,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const { config, logger } = runtime;
  const redis = runtime.redis('app', 'server');
  await redis.connect().catch((error: Error) => {
    throw new Error(`Cannot connect to Redis at ${config.redisUrl}: ${error.message}`);
  });
  const services = createServices(runtime, redis, ports, await runtime.databaseChanges());
  const app = createApp(services, { appsDir: options.serveWeb === false ? undefined : appsDir });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
      s.off('error', onError);
      resolve(s);
    });
    const onError = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${config.port} on ${config.host} is in use: stop what uses it, or set PORT to another port.`
            : `Cannot listen on ${config.host}:${config.port}: ${error.message}`,
        ),
      );
    s.once('error', onError);
  });
  answerClientErrors(server, logger);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, db: runtime.database.kind, livekit: runtime.livekit ? 'on' : 'off', sms: runtime.sms.provider },
    'server listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      logger.info('shutting down: no new connections, finishing in-flight requests');
      const drained = setTimeout(() => {
        logger.warn({ afterMs: DRAIN_TIMEOUT_MS }, 'requests still open after the drain: closing them');
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, DRAIN_TIMEOUT_MS);
      server.close(() => {
        clearTimeout(drained);
        resolve();
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
    return closing;
  };
  return {
    url: `http://${config.host}:${port}`,
    port,
    services,
    logger,
    close,
    shutdownSteps: () => [
      { name: 'http', timeoutMs: DRAIN_TIMEOUT_MS + 1_000, run: close },
      // A family sign-in code is sent after its answer went out: let those still being sent finish before Redis
      // and the database close, so a parent is not left waiting for a code that was never sent.
      { name: 'family codes', timeoutMs: FAMILY_CODES_TIMEOUT_MS, run: () => settleFamilyCodeDeliveries(services) },
    ],
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
    config = readServerConfig();
  } catch (error) {
    refuse(error);
  }
  if (!config.redisUrl) {
    refuse(new Error('REDIS_URL is required to start the server (npm start starts a Redis for you).'));
  }
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, {
      service: 'affection-server',
      migrate: migratesOnStart(config, process.argv),
    });
  } catch (error) {
    refuse(error);
  }
  // In production, refuse with every problem at once: the configuration's and the database's.
  const problems = productionProblems(config, { startsDevLivekit: false, seedsDemoHome: false });
  if (config.nodeEnv === 'production') problems.push(...(await demoLoginProblems(runtime.database)));
  if (problems.length > 0) {
    await runtime.closeDatabase();
    refuse(new ProductionConfigError(problems));
  }
  const producers = createQueueProducers(runtime);
  let server: RunningServer;
  try {
    server = await startServer(runtime, producers);
  } catch (error) {
    await runtime.closeConnections();
    await runtime.closeDatabase();
    refuse(error);
  }
  exitOnSignals(
    () => [
      ...server.shutdownSteps(),
      { name: 'producers', timeoutMs: 2_000, run: producers.close },
      ...runtime.shutdownSteps(),
    ],
    runtime.logger,
  );
}

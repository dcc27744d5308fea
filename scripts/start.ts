/**
 * `npm start`: the newcomer's one command. Runs the product on one machine with embedded
 * defaults: PGlite in ./data, its own Redis in ./data/redis (unless REDIS_URL), LiveKit in dev
 * mode when installed (unless LIVEKIT_URL), the server and the workers in one process.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '@affection/config';
import { listHomes, seedDemoHome } from '@affection/db';
import { createBookingLifecycleProducer, enqueueCallEvent } from '@affection/jobs';
import { hashPassword } from '../apps/server/src/auth/passwords.ts';
import { closeOnSignals, startServer } from '../apps/server/src/main.ts';
import { type RunningWorkerProcess, startWorker } from '../apps/worker/src/main.ts';
import { findLivekitBinary, livekitInstallHint, startLivekit } from '../tests/support/livekit.ts';
import { startRedis } from '../tests/support/redis.ts';
import { readStartConfig } from './env.ts';

let config: AppConfig;
try {
  config = readStartConfig();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const stopOwnServices: (() => Promise<void>)[] = [];
await mkdir(config.dataDir, { recursive: true });

let redisUrl = config.redisUrl;
if (!redisUrl) {
  const redisDir = path.join(config.dataDir, 'redis');
  await mkdir(redisDir, { recursive: true });
  const redis = await startRedis({ dataDir: redisDir });
  redisUrl = redis.url;
  stopOwnServices.push(() => redis.stop());
}

let livekit = config.livekit;
let livekitNote = livekit ? `LiveKit: ${livekit.url}` : '';
if (!livekit) {
  if (findLivekitBinary()) {
    const server = await startLivekit({
      apiKey: 'devkey',
      apiSecret: 'secret',
      webhookUrls: [`${config.publicUrl}/webhooks/livekit`],
    });
    livekit = { url: server.wsUrl, apiKey: server.apiKey, apiSecret: server.apiSecret };
    livekitNote = `LiveKit (dev, key devkey): ${server.wsUrl}`;
    stopOwnServices.push(() => server.stop());
  } else {
    livekitNote = `Calls are disabled until LiveKit is installed. ${livekitInstallHint().split('\n')[0]} See README "Prerequisites".`;
  }
}

const effective: AppConfig = { ...config, redisUrl, livekit };
let workers: RunningWorkerProcess | undefined;
let demoNote: string[] = [];
const server = await startServer(effective, {
  beforeListen: async (services) => {
    if ((await listHomes(services.database.db)).length === 0) {
      const seeded = await seedDemoHome(services.database.db, { hashPassword, now: services.now() });
      demoNote = [
        `  Demo data: ${seeded.childCount} children in ${seeded.householdCount} households, ${seeded.kioskIds.length} kiosks (seeded into the empty database)`,
        ...seeded.logins.map(
          (l) => `    ${l.role === 'admin' ? 'admin  ' : 'teacher'}  ${l.username} / ${l.password}  (${l.displayName})`,
        ),
      ];
    }
    // The workers run in this process on the server's database (PGlite belongs to one process).
    workers = await startWorker(effective, { database: services.database });
    // LiveKit events go straight to this process's call-events queue.
    const { callEventsQueue } = workers.workers;
    services.onLivekitEvent = (_event, stored) => enqueueCallEvent(callEventsQueue, stored.webhookEventId);
    // Changed bookings are planned onto this process's own lifecycle and sms queues.
    const lifecycle = createBookingLifecycleProducer({
      queues: workers.workers,
      db: services.database.db,
      now: services.now,
      logger: services.logger,
    });
    services.onBookingChanged = lifecycle.onBookingChanged;
  },
  onShutdown: async () => {
    await workers?.close();
  },
});
closeOnSignals(async () => {
  await server.close();
  for (const stop of stopOwnServices.reverse()) await stop();
}, server.logger);

const base = config.publicUrl;
console.log(
  [
    '',
    '亲情电话 Affection Phone is running',
    `  Console (teachers):  ${base}/console/`,
    `  Kiosk (children):    ${base}/kiosk/`,
    `  Family (parents):    ${base}/family/`,
    `  Health:              ${base}/healthz`,
    `  Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.join(config.dataDir, 'pglite')}`}`,
    `  Redis: ${redisUrl}${config.redisUrl ? '' : ` (own, data in ${path.join(config.dataDir, 'redis')})`}`,
    `  ${livekitNote}`,
    ...demoNote,
    '  Press Ctrl-C to stop everything.',
    '',
  ].join('\n'),
);

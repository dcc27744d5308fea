/**
 * `npm start`: the newcomer's one command. Runs the product on one machine with embedded
 * defaults: PGlite in ./data, its own Redis in ./data/redis (unless REDIS_URL), LiveKit in dev
 * mode when installed (unless LIVEKIT_URL), the server and the workers in one process on one
 * database. Redis and LiveKit are supervised (restarted if they die); Ctrl-C or SIGTERM stops
 * everything in order within a deadline. Composed from the runtime (`@affection/runtime`).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '@affection/config';
import { type Database, listHomes, seedDemoHome } from '@affection/db';
import { createBookingLifecycleProducer, enqueueCallEvent } from '@affection/jobs';
import {
  createLogger,
  createRuntime,
  type DataDirLock,
  type DevServices,
  exitOnSignals,
  findLivekitBinary,
  lanUrlLines,
  lockDataDir,
  openConfiguredDatabase,
  ProductionConfigError,
  productionProblems,
  type Runtime,
  runShutdown,
  type ShutdownStep,
  startDevServices,
  unsupportedNodeProblem,
} from '@affection/runtime';
import { demoLoginProblems, hashPassword, startServer } from '../apps/server/src/main.ts';
import { startWorker } from '../apps/worker/src/main.ts';
import { readStartConfig } from './env.ts';

/** The whole stop, whatever hangs: each step has its own timeout, this ends the process regardless. */
const HARD_DEADLINE_MS = 20_000;

function refuse(error: unknown): never {
  console.error((error as Error).message);
  process.exit(1);
}

/**
 * Creates and migrates a new folder's embedded database in a process of its own (the bundle of `db-migrate`, built
 * beside this one), which exits before this process opens it. Creating a database runs PostgreSQL's initdb inside
 * PGlite's WebAssembly memory, which never shrinks: done here, it kept about 50 MB more for as long as npm start ran.
 * Does nothing for a folder that holds a database, or under tsx (no bundle beside); when the other process fails
 * (the folder in use, say), this one opens the database as before and says why.
 */
async function createEmbeddedDatabaseApart(dataDir: string): Promise<number | null | undefined> {
  const entry = fileURLToPath(new URL('./db-migrate.js', import.meta.url));
  if (existsSync(path.join(dataDir, 'pglite', 'PG_VERSION')) || !existsSync(entry)) return undefined;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, entry], { stdio: 'ignore' });
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
}

const oldNode = unsupportedNodeProblem(process.version);
if (oldNode) refuse(new Error(oldNode));

let config: AppConfig;
try {
  config = readStartConfig();
} catch (error) {
  refuse(error);
}
const logger = createLogger({ service: 'affection', level: config.logLevel });

if (!config.databaseUrl) {
  const exitCode = await createEmbeddedDatabaseApart(config.dataDir);
  if (exitCode !== undefined) logger.info({ exitCode }, 'embedded database created by a process of its own');
}

// The folder holds the embedded database and our Redis's AOF: one npm start (or seed) at a time.
const usesDataDir = !config.databaseUrl || !config.redisUrl;
let lock: DataDirLock | undefined;
try {
  if (usesDataDir) lock = await lockDataDir(config.dataDir);
} catch (error) {
  refuse(error);
}

let database: Database;
try {
  database = await openConfiguredDatabase(config, lock ? { dataDirLock: lock } : {});
} catch (error) {
  lock?.release();
  refuse(error);
}
const isEmpty = (await listHomes(database.db)).length === 0;
const problems = productionProblems(config, {
  startsDevLivekit: !config.livekit && findLivekitBinary() !== undefined,
  seedsDemoHome: isEmpty,
});
if (config.nodeEnv === 'production' && !isEmpty) problems.push(...(await demoLoginProblems(database)));
if (problems.length > 0) {
  await database.close();
  refuse(new ProductionConfigError(problems));
}

let devServices: DevServices;
try {
  devServices = await startDevServices(config, { logger, holdsDataDir: lock !== undefined });
} catch (error) {
  await database.close();
  refuse(error);
}
// From here on everything started is stopped in order — on Ctrl-C or SIGTERM (also while starting), or when a step
// of the start fails (a taken port, say), so no Redis or LiveKit is left behind.
const steps: { server: ShutdownStep[]; worker: ShutdownStep[]; connections: ShutdownStep[] } = {
  server: [],
  worker: [],
  connections: [],
};
const shutdownSteps = (): ShutdownStep[] => [
  { name: 'supervision', timeoutMs: 100, run: async () => devServices.stopSupervising() },
  ...steps.server,
  ...steps.worker,
  ...steps.connections,
  { name: 'redis and livekit', timeoutMs: 8_000, run: devServices.stop },
  { name: 'database', timeoutMs: 10_000, run: () => database.close() },
];
exitOnSignals(shutdownSteps, logger, { hardDeadlineMs: HARD_DEADLINE_MS });

let demoNote: string[] = [];
try {
  const runtime: Runtime = await createRuntime(devServices.config, { service: 'affection', logger, database });
  steps.connections = [{ name: 'redis connections', timeoutMs: 2_000, run: runtime.closeConnections }];
  if (isEmpty) {
    const seeded = await seedDemoHome(database.db, { hashPassword, now: runtime.now() });
    demoNote = [
      `  Demo data: ${seeded.childCount} children in ${seeded.householdCount} households, ${seeded.kioskIds.length} kiosks (seeded into the empty database)`,
      ...seeded.logins.map(
        (l) => `    ${l.role === 'admin' ? 'admin  ' : 'teacher'}  ${l.username} / ${l.password}  (${l.displayName})`,
      ),
    ];
  }
  // The workers run in this process on its one database (PGlite belongs to one process); the server hands changed
  // bookings and LiveKit events straight to their queues.
  const worker = await startWorker(runtime);
  steps.worker = worker.shutdownSteps();
  const lifecycle = createBookingLifecycleProducer({
    queues: worker.workers,
    db: database.db,
    now: runtime.now,
    logger,
    smsPolicies: runtime.smsPolicies,
  });
  const { callEventsQueue } = worker.workers;
  const server = await startServer(runtime, {
    onBookingChanged: lifecycle.onBookingChanged,
    onLivekitEvent: (_event, stored) => enqueueCallEvent(callEventsQueue, stored.webhookEventId),
  });
  steps.server = server.shutdownSteps();
} catch (error) {
  await runShutdown(shutdownSteps(), logger);
  refuse(error);
}

const base = config.publicUrl;
console.log(
  [
    '',
    '亲情电话 Affection Phone is running',
    `  Console (teachers):  ${base}/console/`,
    `  Kiosk (children):    ${base}/kiosk/`,
    `  Family (parents):    ${base}/family/`,
    `  Health:              ${base}/healthz`,
    ...lanUrlLines(config),
    `  Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${path.join(config.dataDir, 'pglite')}`}`,
    ...devServices.notes.map((note) => `  ${note}`),
    ...demoNote,
    '  Press Ctrl-C to stop everything.',
    '',
  ].join('\n'),
);

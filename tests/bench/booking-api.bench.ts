import { type ChildProcess, execFile, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createSlotReadModel, type SlotReadModel } from '@affection/bookings';
import { DEFAULT_SMS_COUNTRY_POLICIES, listBookableSlots, weekStartOf } from '@affection/core';
import {
  createDatabaseChangeFeed,
  createStaffSession,
  type Database,
  loadHomeCalendar,
  migrateDatabase,
  openDatabase,
  schema,
  seedHome,
  updateHome,
} from '@affection/db';
import { spawnUntilReady } from '@affection/runtime';
import { OutboxSmsSender } from '@affection/telephony';
import {
  createTestPostgres,
  firstApprovedContacts,
  getFreeTcpPort,
  startRedis,
  testEnv,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createApp } from '../../apps/server/src/app.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { createStaffSessionCache } from '../../apps/server/src/auth/staff-session-cache.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import type { AppServices } from '../../apps/server/src/services.ts';
import { NODE_MEMORY_FLAGS } from '../../scripts/node-memory-flags.ts';
import { postgresCpuMs, processCpuMs } from './process-cpu.ts';

/**
 * The bookings API under a steady load: `GET /api/bookings/available-slots` and `POST /api/bookings` at a fixed rate
 * (autocannon `overallRate`, coordinated omission corrected), against the real server on loopback with the synthetic
 * Home (1,000 children, 4 kiosks), on PGlite and on PostgreSQL, with a bare Hono route at the same rate as the
 * baseline. The server runs in its own process (forked from this file), autocannon in this one.
 *
 * Options: `rate=<req/s>` (default 200), `seconds=<n>` (default 10), `db=pglite|postgres|both` (default both),
 * `readModel=on|off` (default on: slot searches and staff sessions from memory, as the server composes them; off:
 * every request reads the database, as before the read model), `runs=both|slots|bookings` (default both; the slot
 * searches are measured on a Home booked by the bookings run, or its warm-up alone with `runs=slots`).
 * `profile=<folder>` writes the server's CPU profile there (`--cpu-prof`); `nodeFlags=<a,b>` adds flags to the server's
 * node, `serverEnv=<K=V,…>` variables to its environment; `serverOutput=yes` prints what it printed besides its log lines. `server=bundle|bench` (default bundle): the production server built and run as production runs it, or the app
 * composed in a forked process of this file (which also reports the read model's counts). `slotsCpuMsPerReq` is the CPU of the server and PostgreSQL per slot search, `slotsVsBare` its ratio to the bare
 * route's, `serverRssMb` the server's largest resident memory sampled during the slot searches.
 * Bookings are valid requests spread over households and slots: each household at most once per quota week, as many
 * households per slot as it has kiosks (the server picks the kiosk), in random order over the horizon, so nearly all
 * should succeed; the mix is printed. Available slots are measured after the bookings, on a Home mostly booked.
 */
export default async function bookingApiBench(args: string[]): Promise<Record<string, unknown>> {
  const option = (name: string, fallback: string) =>
    args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1) ?? fallback;
  const rate = Number(option('rate', '200'));
  const seconds = Number(option('seconds', '10'));
  const which = option('db', 'both');
  const readModel = option('readModel', 'on') !== 'off';
  const runs = option('runs', 'both');
  const profile = option('profile', '');
  const nodeFlags = option('nodeFlags', '').split(',').filter(Boolean);
  const serverOutput = option('serverOutput', 'no') === 'yes';
  const serverEnv = Object.fromEntries(
    option('serverEnv', '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const server = option('server', 'bundle');
  const kinds = (which === 'both' ? ['pglite', 'postgres'] : [which]) as DbKind[];
  let last: Record<string, unknown> = {};
  for (const kind of kinds) {
    const figures = await benchOne(kind, rate, seconds, {
      readModel,
      runs,
      profile,
      server,
      nodeFlags,
      serverEnv,
      serverOutput,
    });
    last = figures;
    if (kind !== kinds.at(-1)) console.log(JSON.stringify({ bench: 'booking-api', ...figures }));
  }
  return last;
}

type DbKind = 'pglite' | 'postgres';

/** What the server process tells the load generator once it listens. */
interface ServerReady {
  url: string;
  baselineUrl: string;
  headers: Record<string, string>;
  /** (household, approved contact) pairs to ask slots for. */
  askers: { householdId: string; contactId: string }[];
  /** Valid bookings in slot order: four per slot, each household at most once per quota week. */
  plan: { householdId: string; contactId: string; start: string }[];
  seedMs: number;
  /** The throwaway database's name, to find its server processes. */
  postgresDatabase: string | null;
}

interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** CPU the server process spent per request (its event loop, and PGlite's engine when embedded). */
  serverCpuMs?: number;
  /** CPU PostgreSQL's backends for this database spent per request (Linux `/proc`; absent elsewhere; a backend that exits meanwhile takes its share with it). */
  postgresCpuMs?: number;
}

/** PostgreSQL's CPU for the bench's database so far, or null (PGlite, or no `/proc`). */
function backendsCpuMs(database: string | null): number | null {
  const ms = database ? postgresCpuMs(database) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

// biome-ignore lint/suspicious/noExplicitAny: autocannon ships no types; its results are read field by field below.
type Autocannon = (options: Record<string, unknown>) => Promise<any>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function load(options: Record<string, unknown>): Promise<RunFigures> {
  const result = await autocannon({ connections: 20, timeout: 30, ...options });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = Number((stat as { count: number }).count);
  }
  if (result.errors > 0) statuses.errors = result.errors;
  return {
    rps: Math.round(result.requests.average),
    p50: Number(result.latency.p50),
    p99: Number(result.latency.p99),
    statuses,
  };
}

/** What the in-process server reports on request: its read model's counts. */
interface ServerUsage {
  readModel: ReturnType<SlotReadModel['stats']> | null;
}

/** Samples a process's resident memory (`/proc/<pid>/status` VmRSS) every 50 ms: its largest since the last reset. */
function sampleRss(pid: number): { reset(): void; peakMb(): number | null; stop(): void } {
  const read = () => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) || 0;
    } catch {
      return 0;
    }
  };
  let peakKb = read();
  const timer = setInterval(() => {
    peakKb = Math.max(peakKb, read());
  }, 50);
  timer.unref();
  return {
    reset: () => {
      peakKb = read();
    },
    peakMb: () => (peakKb > 0 ? Math.round((10 * peakKb) / 1024) / 10 : null),
    stop: () => clearInterval(timer),
  };
}

/**
 * The production server (`apps/server/dist/main.js`, built now, run by plain node with production's flags) on the
 * seeded database and a Redis of its own: what a county deployment runs.
 */
async function startBundledServer(
  kind: DbKind,
  location: string,
  profiling: string[],
  serverEnv: Record<string, string>,
  showOutput: boolean,
): Promise<{ child: ChildProcess; url: string; stop(): Promise<void> }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-node.ts'), 'server'], { cwd: root });
  const redis = await startRedis();
  const port = await getFreeTcpPort();
  const dataDir = kind === 'pglite' ? location : await mkdtemp(path.join(os.tmpdir(), 'affection-bench-data-'));
  const server = await spawnUntilReady({
    command: process.execPath,
    args: [...NODE_MEMORY_FLAGS, ...profiling, path.join(root, 'apps/server/dist/main.js')],
    env: {
      PATH: testEnv.searchPath,
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://bench.invalid',
      HOST: '127.0.0.1',
      PORT: String(port),
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      ...(kind === 'postgres' ? { DATABASE_URL: location } : {}),
      LOG_LEVEL: 'info',
      ...serverEnv,
    },
    label: 'bench server (production bundle)',
    readyWhen: (line) => line.includes('server listening'),
    timeoutMs: 120_000,
  });
  return {
    child: server.child,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      if (showOutput)
        for (const line of server.output.filter((l) => !l.startsWith('{'))) console.log(`server: ${line}`);
      await redis.stop();
      if (kind === 'postgres') await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function benchOne(
  kind: DbKind,
  rate: number,
  seconds: number,
  options: {
    readModel: boolean;
    runs: string;
    profile: string;
    server: string;
    nodeFlags: string[];
    serverEnv: Record<string, string>;
    serverOutput: boolean;
  },
): Promise<Record<string, unknown>> {
  // The database outlives both processes: a throwaway PostgreSQL database, or a PGlite folder.
  const postgres = kind === 'postgres' ? await createTestPostgres() : null;
  const location = postgres ? postgres.url : await mkdtemp(path.join(os.tmpdir(), 'affection-bench-'));
  const self = fileURLToPath(import.meta.url);
  // Each process with the flags production gives it.
  const execArgv = [...process.execArgv, ...NODE_MEMORY_FLAGS];
  const answerOf = <T>(process: ChildProcess, what: string) =>
    new Promise<T>((resolve, reject) => {
      process.once('message', (m) => resolve(m as T));
      process.once('exit', (code) => reject(new Error(`the bench ${what} (${kind}) exited with ${code}`)));
    });
  const seeder = fork(self, ['--seed', kind, location], { stdio: 'inherit', execArgv });
  const seeded = await answerOf<Seeded>(seeder, 'seeding');
  await new Promise((resolve) => (seeder.exitCode === null ? seeder.once('exit', resolve) : resolve(null)));
  const profiling = [
    ...(options.profile ? ['--cpu-prof', `--cpu-prof-dir=${options.profile}`] : []),
    ...options.nodeFlags,
  ];
  const bare = fork(self, ['--bare'], { stdio: 'inherit', execArgv });
  const bundled =
    options.server === 'bundle'
      ? await startBundledServer(kind, location, profiling, options.serverEnv, options.serverOutput)
      : null;
  const child =
    bundled?.child ??
    fork(self, ['--serve', kind, location, options.readModel ? 'model' : 'no-model'], {
      stdio: 'inherit',
      execArgv: [...execArgv, ...profiling],
    });
  try {
    const ready: ServerReady = {
      ...seeded,
      url: bundled?.url ?? (await answerOf<{ url: string }>(child, 'server')).url,
      baselineUrl: (await answerOf<{ url: string }>(bare, 'bare route')).url,
      postgresDatabase: postgres?.name ?? null,
    };
    const rss = sampleRss(child.pid ?? 0);
    console.log(`${kind}: server RSS ${rss.peakMb()} MB at start`);
    const load1 = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${kind}: load average ${load1} on ${os.cpus().length} cores; Home seeded in ${ready.seedMs} ms; ` +
        `${ready.askers.length} households with an approved contact; ${ready.plan.length} planned bookings`,
    );
    const atRate = { overallRate: rate };
    /** The model's counts, from the in-process server only (the bundle's are not exposed). */
    const modelStats = () =>
      bundled
        ? Promise.resolve(null)
        : new Promise<ServerUsage['readModel']>((resolve) => {
            child.once('message', (m) => resolve((m as ServerUsage).readModel));
            child.send('cpu');
          });
    /** A measured run, with the CPU per request of the process serving it (`pid`) and of PostgreSQL. */
    const measure = async (options: Record<string, unknown>, pid = child.pid ?? 0): Promise<RunFigures> => {
      const serverCpuMs = () => processCpuMs(pid) || 0;
      const before = serverCpuMs();
      const pgBefore = backendsCpuMs(ready.postgresDatabase);
      const figures = await load(options);
      const requests = Math.max(
        1,
        Object.values(figures.statuses).reduce((a, b) => a + b, 0),
      );
      const pgAfter = backendsCpuMs(ready.postgresDatabase);
      const perRequest = (ms: number) => Math.round((100 * ms) / requests) / 100;
      return {
        ...figures,
        serverCpuMs: perRequest(serverCpuMs() - before),
        ...(pgBefore !== null && pgAfter !== null
          ? { postgresCpuMs: Math.max(0, perRequest(pgAfter - pgBefore)) }
          : {}),
      };
    };

    await load({ url: `${ready.baselineUrl}/ping`, duration: 2, ...atRate });
    const baseline = await measure({ url: `${ready.baselineUrl}/ping`, duration: seconds, ...atRate }, bare.pid);
    print(kind, 'bare Hono route', baseline);

    let next = 0;
    const reasons: Record<string, number> = {};
    const bookingRequest = {
      method: 'POST',
      path: '/api/bookings',
      headers: { ...ready.headers, 'content-type': 'application/json' },
      setupRequest: (request: { body: string }) => {
        request.body = JSON.stringify(ready.plan[next++ % ready.plan.length]);
        return request;
      },
      onResponse: (status: number, body: string) => {
        if (status === 201) return;
        let reason = String(status);
        try {
          reason = `${status} ${JSON.parse(body).error?.details?.reason ?? JSON.parse(body).error?.code ?? ''}`.trim();
        } catch {}
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      },
    };
    const warmup = Math.round(rate);
    // At most 200 a second: a warm-up that outruns the server would leave a backlog, and its memory, to the runs after.
    await load({ url: ready.url, amount: warmup, requests: [bookingRequest], overallRate: Math.min(rate, 200) });
    for (const key of Object.keys(reasons)) delete reasons[key];
    const amount = options.runs === 'slots' ? 0 : Math.min(rate * seconds, ready.plan.length - warmup);
    const bookings: RunFigures =
      amount > 0
        ? await measure({ url: ready.url, amount, requests: [bookingRequest], ...atRate })
        : { rps: 0, p50: 0, p99: 0, statuses: {} };
    if (amount > 0) print(kind, 'bookings', bookings);
    const created = bookings.statuses['201'] ?? 0;
    console.log(
      `${kind}: bookings mix: ${created} created (${Math.round((100 * created) / Math.max(1, amount))}%)` +
        `${Object.keys(reasons).length ? `, refused: ${JSON.stringify(reasons)}` : ''}`,
    );
    let ask = 0;
    const slotsRequest = {
      method: 'GET',
      headers: ready.headers,
      setupRequest: (request: { path: string }) => {
        const asker = ready.askers[ask++ % ready.askers.length]!;
        request.path = `/api/bookings/available-slots?householdId=${asker.householdId}&contactId=${asker.contactId}&from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 14 * 86_400_000).toISOString())}`;
        return request;
      },
    };
    const noSlots: RunFigures = { rps: 0, p50: 0, p99: 0, statuses: {} };
    let slots = noSlots;
    let peakRssMb: number | null = null;
    let model: ServerUsage['readModel'] = null;
    if (options.runs !== 'bookings') {
      await load({ url: ready.url, duration: 2, requests: [slotsRequest], ...atRate });
      console.log(`${kind}: server RSS at most ${rss.peakMb()} MB before the slot searches`);
      rss.reset();
      slots = await measure({ url: ready.url, duration: seconds, requests: [slotsRequest], ...atRate });
      peakRssMb = rss.peakMb();
      model = await modelStats();
      print(kind, 'available slots', slots);
      console.log(
        `${kind}: server RSS at most ${peakRssMb} MB during the slot searches` +
          (model ? `; read model: ${JSON.stringify(model)}` : '; no read model'),
      );
    }
    const slotsCpuMsPerReq =
      slots.serverCpuMs === undefined ? null : Math.round(10 * (slots.serverCpuMs + (slots.postgresCpuMs ?? 0))) / 10;
    const bareCpuMs = (baseline.serverCpuMs ?? 0) + (baseline.postgresCpuMs ?? 0);

    for (const [what, figures, target] of [
      ['available slots', slots, 25],
      ['bookings', bookings, 50],
    ] as const) {
      console.log(
        `${kind}: ${what} p99 ${figures.p99} ms at ${figures.rps} req/s: ${figures.p99 <= target ? 'within' : 'MISSES'} the ${target} ms target`,
      );
    }
    return {
      db: kind,
      readModel: options.readModel,
      slotsRps: slots.rps,
      slotsP99Ms: slots.p99,
      bookingRps: bookings.rps,
      bookingP99Ms: bookings.p99,
      baselineRps: baseline.rps,
      // CPU time per request (the server process; PostgreSQL's backends where it is PostgreSQL), for the sizing bench.
      slotsServerCpuMs: slots.serverCpuMs ?? null,
      slotsPostgresCpuMs: slots.postgresCpuMs ?? null,
      bookingServerCpuMs: bookings.serverCpuMs ?? null,
      bookingPostgresCpuMs: bookings.postgresCpuMs ?? null,
      slotsCpuMsPerReq,
      slotsVsBare:
        slotsCpuMsPerReq !== null && bareCpuMs > 0 ? Math.round((10 * slotsCpuMsPerReq) / bareCpuMs) / 10 : null,
      serverRssMb: peakRssMb,
      slotsServedFromMemory: model?.served ?? null,
    };
  } finally {
    bare.kill();
    await (bundled ? bundled.stop() : stopServer(child));
    await (postgres ? postgres.drop() : rm(location, { recursive: true, force: true }));
  }
}

function print(kind: DbKind, what: string, figures: RunFigures): void {
  const cpu = figures.serverCpuMs;
  const ceiling = cpu
    ? `, server CPU ${cpu} ms/request (one event loop saturates near ${Math.round(1000 / cpu)} req/s)`
    : '';
  const database = figures.postgresCpuMs === undefined ? '' : `, PostgreSQL CPU ${figures.postgresCpuMs} ms/request`;
  console.log(
    `${kind}: ${what}: ${figures.rps} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms${ceiling}${database}, statuses ${JSON.stringify(figures.statuses)}`,
  );
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/** What the seeding process hands over: where the seeded Home is, how to call it, what to ask and book. */
type Seeded = Omit<ServerReady, 'url' | 'baselineUrl' | 'postgresDatabase'>;

/** Opens the bench's database: a PostgreSQL server's (by URL), or PGlite's in a data folder, where the server looks. */
function openBenchDatabase(kind: DbKind, location: string): Promise<Database> {
  return kind === 'postgres'
    ? openDatabase({ kind: 'postgres', url: location, maxConnections: 20 })
    : openDatabase({ kind: 'pglite', dataDir: path.join(location, 'pglite') });
}

/**
 * The seeding process: the synthetic Home, a teacher's session and the requests to make, written into the database at
 * `location`; then it exits, so that the server starts in a process of its own with none of the seeding's garbage.
 */
async function seedForBench(kind: DbKind, location: string): Promise<void> {
  const seedStarted = performance.now();
  const database = await openBenchDatabase(kind, location);
  await migrateDatabase(database);
  const now = new Date();
  const seeded = await seedHome(database.db, {
    name: '基准之家',
    children: 1000,
    kiosks: 4,
    teachers: 5,
    hashPassword: async (password) => `not-hashed-${password.length}`,
    adminLogin: { username: 'bench-admin', password: 'bench-admin-password' },
    teacherPassword: 'bench-teacher-password',
    now,
  });
  // Room for 8 seconds of valid bookings at 200 req/s: the horizon widened to the largest the Home allows (90 days).
  await updateHome(database.db, seeded.homeId, { bookingHorizonDays: 90 });
  const [teacher] = await database.db
    .select({ id: schema.staff.id })
    .from(schema.staff)
    .where(eq(schema.staff.homeId, seeded.homeId))
    .limit(1);
  const token = newToken();
  const csrf = newToken();
  await createStaffSession(database.db, {
    staffId: teacher!.id,
    tokenHash: hashToken(token),
    csrfToken: csrf,
    now,
    expiresAt: new Date(now.getTime() + 12 * 3600_000),
  });

  const askers = await firstApprovedContacts(database.db, seeded.homeId);

  const calendar = (await loadHomeCalendar(database.db, seeded.homeId))!;
  const tomorrow = new Date(now.getTime() + 86_400_000);
  const slots = listBookableSlots({ calendar, bookings: [], now, from: tomorrow });
  const used = new Set<string>();
  const plan: ServerReady['plan'] = [];
  let cursor = 0;
  for (const slot of slots) {
    const week = weekStartOf(slot.start, calendar.settings.timeZone);
    for (let k = 0; k < slot.kioskIds.length; k += 1) {
      for (let tries = 0; tries < askers.length; tries += 1) {
        const asker = askers[cursor++ % askers.length]!;
        if (used.has(`${asker.householdId} ${week}`)) continue;
        used.add(`${asker.householdId} ${week}`);
        plan.push({ ...asker, start: slot.start.toISOString() });
        break;
      }
    }
  }

  // Spread over the horizon, not slot after slot: a Home's bookings arrive for all its coming weeks at once.
  let state = 20260302;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = plan.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  await database.close();
  const handover: Seeded = {
    headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf },
    askers,
    plan,
    seedMs: Math.round(performance.now() - seedStarted),
  };
  process.send!(handover, () => process.exit(0));
}

/** The server process: the seeded database, the real app and a bare Hono app on loopback, as production runs it. */
async function serveForBench(kind: DbKind, location: string, withReadModel: boolean): Promise<void> {
  const database = await openBenchDatabase(kind, location);
  const redisServer = await startRedis();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const services: AppServices = {
    database,
    redis,
    livekitRooms: null,
    logger: createLogger({ level: 'info', destination: sink }),
    now: () => new Date(),
    settings: { publicUrl: 'http://127.0.0.1', secureCookies: false, trustProxy: false },
    sms: new OutboxSmsSender({ db: database.db }),
    callRooms: null,
    livekitClientUrl: null,
    livekitWebhooks: null,
    twilioWebhooks: null,
    livekitSipHost: null,
    smsPolicies: DEFAULT_SMS_COUNTRY_POLICIES,
    onBookingChanged: async () => {},
    onLivekitEvent: async () => {},
  };
  // As the server composes them: slot searches and staff sessions from memory over the database's change feed.
  const changes = withReadModel ? await createDatabaseChangeFeed(database) : null;
  const slotReadModel = changes ? createSlotReadModel({ db: database.db, changes }) : null;
  services.slotReadModel = slotReadModel;
  services.staffSessions = changes ? createStaffSessionCache({ db: database.db, changes }) : null;
  const app = createApp(services);
  const server = await listenOnLoopback(app.fetch);
  process.on('message', async (message) => {
    if (message === 'cpu') {
      process.send!({ readModel: slotReadModel?.stats() ?? null } satisfies ServerUsage);
      return;
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    redis.disconnect();
    await changes?.close();
    await database.close();
    await redisServer.stop();
    process.exit(0);
  });
  process.send!({ url: urlOf(server) });
}

/** Serves `fetch` on a free loopback port. */
async function listenOnLoopback(fetch: (request: Request) => Response | Promise<Response>): Promise<ServerType> {
  const port = await getFreeTcpPort();
  return new Promise((resolve) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
  });
}

function urlOf(server: ServerType): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The baseline: a bare Hono route in a process of its own. */
async function serveBareRoute(): Promise<void> {
  const bare = new Hono();
  bare.get('/ping', (c) => c.json({ ok: true }));
  process.send!({ url: urlOf(await listenOnLoopback(bare.fetch)) });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kind: DbKind = process.argv[3] === 'postgres' ? 'postgres' : 'pglite';
  const location = process.argv[4] ?? '';
  if (process.argv[2] === '--seed') await seedForBench(kind, location);
  if (process.argv[2] === '--bare') await serveBareRoute();
  if (process.argv[2] === '--serve') await serveForBench(kind, location, process.argv[5] !== 'no-model');
}

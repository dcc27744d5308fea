import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SMS_COUNTRY_POLICIES, isContactApproved, listBookableSlots, weekStartOf } from '@affection/core';
import {
  createStaffSession,
  type Database,
  loadHomeCalendar,
  migrateDatabase,
  openDatabase,
  schema,
  seedHome,
  updateHome,
} from '@affection/db';
import { OutboxSmsSender } from '@affection/telephony';
import { createTestPostgres, getFreeTcpPort, startRedis, type TestPostgres } from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { createApp } from '../../apps/server/src/app.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import type { AppServices } from '../../apps/server/src/services.ts';

/**
 * The bookings API under a steady load: `GET /api/bookings/available-slots` and `POST /api/bookings` at a fixed rate
 * (autocannon `overallRate`, coordinated omission corrected), against the real server on loopback with the synthetic
 * Home (1,000 children, 4 kiosks), on PGlite and on PostgreSQL, with a bare Hono route at the same rate as the
 * baseline. The server runs in its own process (forked from this file), autocannon in this one.
 *
 * Options: `rate=<req/s>` (default 200), `seconds=<n>` (default 10), `db=pglite|postgres|both` (default both).
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
  const kinds = (which === 'both' ? ['pglite', 'postgres'] : [which]) as DbKind[];
  let last: Record<string, unknown> = {};
  for (const kind of kinds) {
    const figures = await benchOne(kind, rate, seconds);
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

/** CPU milliseconds used so far by the PostgreSQL backends serving `database` (read from `/proc`), or null. */
function postgresCpuMs(database: string | null): number | null {
  if (!database) return null;
  let total = 0;
  try {
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(database)) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
      } catch {}
    }
  } catch {
    return null;
  }
  return total;
}

/** Linux clock ticks per second (`getconf CLK_TCK`, 100 on every common kernel). */
const CLOCK_TICKS = 100;

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

async function benchOne(kind: DbKind, rate: number, seconds: number): Promise<Record<string, unknown>> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind], { stdio: 'inherit' });
  try {
    const ready = await new Promise<ServerReady>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ServerReady));
      child.once('exit', (code) => reject(new Error(`the bench server (${kind}) exited with ${code}`)));
    });
    const load1 = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${kind}: load average ${load1} on ${os.cpus().length} cores; Home seeded in ${ready.seedMs} ms; ` +
        `${ready.askers.length} households with an approved contact; ${ready.plan.length} planned bookings`,
    );
    const atRate = { overallRate: rate };
    const serverCpuMs = () =>
      new Promise<number>((resolve) => {
        child.once('message', (m) => resolve((m as { cpuMs: number }).cpuMs));
        child.send('cpu');
      });
    /** A measured run, with the server's CPU per request. */
    const measure = async (options: Record<string, unknown>): Promise<RunFigures> => {
      const before = await serverCpuMs();
      const pgBefore = postgresCpuMs(ready.postgresDatabase);
      const figures = await load(options);
      const requests = Math.max(
        1,
        Object.values(figures.statuses).reduce((a, b) => a + b, 0),
      );
      const pgAfter = postgresCpuMs(ready.postgresDatabase);
      const perRequest = (ms: number) => Math.round((10 * ms) / requests) / 10;
      return {
        ...figures,
        serverCpuMs: perRequest((await serverCpuMs()) - before),
        ...(pgBefore !== null && pgAfter !== null
          ? { postgresCpuMs: Math.max(0, perRequest(pgAfter - pgBefore)) }
          : {}),
      };
    };

    await load({ url: `${ready.baselineUrl}/ping`, duration: 2, ...atRate });
    const baseline = await measure({ url: `${ready.baselineUrl}/ping`, duration: seconds, ...atRate });
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
    await load({ url: ready.url, amount: warmup, requests: [bookingRequest], ...atRate });
    for (const key of Object.keys(reasons)) delete reasons[key];
    const amount = Math.min(rate * seconds, ready.plan.length - warmup);
    const bookings = await measure({ url: ready.url, amount, requests: [bookingRequest], ...atRate });
    print(kind, 'bookings', bookings);
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
    await load({ url: ready.url, duration: 2, requests: [slotsRequest], ...atRate });
    const slots = await measure({ url: ready.url, duration: seconds, requests: [slotsRequest], ...atRate });
    print(kind, 'available slots', slots);

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
    };
  } finally {
    await stopServer(child);
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

/** The server process: database, synthetic Home, the real app and a bare Hono app on loopback. */
async function serveForBench(kind: DbKind): Promise<void> {
  const seedStarted = performance.now();
  let postgres: TestPostgres | undefined;
  let database: Database;
  if (kind === 'postgres') {
    postgres = await createTestPostgres();
    database = await openDatabase({ kind: 'postgres', url: postgres.url, maxConnections: 20 });
  } else {
    database = await openDatabase({ kind: 'pglite' });
  }
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

  const contacts = await database.db
    .select({
      id: schema.contacts.id,
      householdId: schema.contacts.householdId,
      approvedAt: schema.contacts.approvedAt,
      revokedAt: schema.contacts.revokedAt,
    })
    .from(schema.contacts)
    .where(eq(schema.contacts.homeId, seeded.homeId))
    .orderBy(schema.contacts.id);
  const contactOf = new Map<string, string>();
  for (const c of contacts)
    if (isContactApproved(c) && !contactOf.has(c.householdId)) contactOf.set(c.householdId, c.id);
  const askers = [...contactOf].map(([householdId, contactId]) => ({ householdId, contactId }));

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
  const app = createApp(services);
  const baseline = new Hono();
  baseline.get('/ping', (c) => c.json({ ok: true }));
  const listen = async (fetch: (request: Request) => Response | Promise<Response>): Promise<ServerType> => {
    const port = await getFreeTcpPort();
    return new Promise((resolve) => {
      const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
    });
  };
  const [server, baselineServer] = await Promise.all([listen(app.fetch), listen(baseline.fetch)]);
  const urlOf = (s: ServerType) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  process.on('message', async (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMs: (user + system) / 1000 });
      return;
    }
    await Promise.all(
      [server, baselineServer].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            (s as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      ),
    );
    redis.disconnect();
    await database.close();
    await Promise.all([redisServer.stop(), postgres?.drop()]);
    process.exit(0);
  });
  const ready: ServerReady = {
    url: urlOf(server),
    baselineUrl: urlOf(baselineServer),
    headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf },
    askers,
    plan,
    seedMs: Math.round(performance.now() - seedStarted),
    postgresDatabase: postgres?.name ?? null,
  };
  process.send!(ready);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--serve') {
  await serveForBench(process.argv[3] === 'postgres' ? 'postgres' : 'pglite');
}

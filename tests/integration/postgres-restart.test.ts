import { execFile, execFileSync } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { migrateDatabase, openDatabase, schema, seedDemoHome } from '@affection/db';
import { enqueueSms, QUEUE_NAMES } from '@affection/jobs';
import type { ApiResponse } from '@affection/server/contract';
import {
  bookableHouseholds,
  DEMO_ADMIN,
  getFreeTcpPort,
  type RedisServer,
  type RunningProcess,
  reminderBody,
  type StaffClient,
  signInStaffOverHttp,
  spawnUntilReady,
  startRedis,
  testEnv,
  waitUntil,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/main.ts';

const execFileAsync = promisify(execFile);
const serverMain = path.resolve(import.meta.dirname, '../../apps/server/src/main.ts');
const workerMain = path.resolve(import.meta.dirname, '../../apps/worker/src/main.ts');
const REMINDERS = 30;
const BOOKINGS_BEFORE = 6;

/** The folder of PostgreSQL's server programs (initdb, pg_ctl): `pg_config --bindir`, else Debian's newest. */
function postgresBinDir(): string {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (dir) return dir;
  } catch {}
  try {
    const versions = execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
    if (newest) return `/usr/lib/postgresql/${newest}/bin`;
  } catch {}
  throw new Error('PostgreSQL server programs not found (initdb, pg_ctl): sudo apt-get install -y postgresql');
}

/** initdb and pg_ctl refuse to run as root: run them as the `postgres` user then (as Debian's package makes it). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root, and there is no postgres user to run initdb and pg_ctl as');
  }
}

/** A PostgreSQL cluster of this test's own, which it can stop and start. */
interface OwnCluster {
  url(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

async function createOwnCluster(): Promise<OwnCluster> {
  const bin = postgresBinDir();
  const user = postgresUser();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'affection-pg-restart-'));
  if (user) await chown(dir, user.uid, user.gid);
  const dataDir = path.join(dir, 'data');
  const port = await getFreeTcpPort();
  const run = (program: string, args: string[]) =>
    execFileAsync(path.join(bin, program), args, { ...(user ?? {}), env: { PATH: testEnv.searchPath, LANG: 'C' } });
  await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
  const start = async () => {
    await run('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  };
  await start();
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    async stop() {
      await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
    async remove() {
      await run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signs the demo admin in over HTTP and returns a client carrying the session cookie and the CSRF token. */
function signIn(baseUrl: string): Promise<StaffClient> {
  return signInStaffOverHttp(baseUrl, DEMO_ADMIN.login, DEMO_ADMIN.password, { timeoutMs: 10_000 });
}

type Booking = ApiResponse<'POST /api/bookings'>;
type Household = Awaited<ReturnType<typeof bookableHouseholds>>[number];

/** What one request of the traffic during the run got. */
interface Answer {
  at: number;
  status: number | 'no answer';
  code?: string;
  message?: string;
  ms: number;
}

describe('PostgreSQL stopped and started under a running server and worker', () => {
  let cluster: OwnCluster;
  let redis: RedisServer;
  let server: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    [cluster, redis] = await Promise.all([createOwnCluster(), startRedis()]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-pg-restart-data-'));
  }, 60_000);
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    worker?.child.kill('SIGKILL');
    await Promise.all([server?.exited, worker?.exited]);
    await redis?.stop();
    await cluster?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while it is away, then books and sends again: nothing lost, no SMS twice', {
    timeout: 120_000,
  }, async () => {
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('create database affection');
    await admin.end();
    const databaseUrl = cluster.url('affection');
    const setup = await openDatabase({ kind: 'postgres', url: databaseUrl, maxConnections: 2 });
    await migrateDatabase(setup);
    await seedDemoHome(setup.db, { hashPassword, now: new Date() });
    await setup.close();

    const port = await getFreeTcpPort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      PATH: testEnv.searchPath,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'info',
    };
    [server, worker] = await Promise.all([
      spawnUntilReady({
        command: process.execPath,
        args: ['--import', 'tsx', serverMain],
        env: { ...env, PORT: String(port) },
        label: 'server',
        readyWhen: (line) => line.includes('server listening'),
        timeoutMs: 90_000,
      }),
      spawnUntilReady({
        command: process.execPath,
        args: ['--import', 'tsx', workerMain],
        env,
        label: 'worker',
        readyWhen: (line) => line.includes('"msg":"workers started"'),
        timeoutMs: 90_000,
      }),
    ]);

    const staff = await signIn(baseUrl);
    const households = await bookableHouseholds(staff, BOOKINGS_BEFORE + 4);
    expect(households.length).toBe(BOOKINGS_BEFORE + 4);
    const nextWeek = { from: new Date(Date.now() + 7 * 86_400_000), to: new Date(Date.now() + 14 * 86_400_000) };
    /** A booking of the household's first free slot next week (the slot is looked up now, the booking made later). */
    const bookingOf = async (household: Household) => {
      const contactId = household.contacts.find((c) => c.approved)!.id;
      const query = new URLSearchParams({
        householdId: household.id,
        contactId,
        anyTime: 'true',
        from: nextWeek.from.toISOString(),
        to: nextWeek.to.toISOString(),
      });
      const { slots } = await staff.json<{ slots: { start: string }[] }>(`/api/bookings/available-slots?${query}`);
      if (!slots[0]) throw new Error('no free slot next week');
      return { householdId: household.id, contactId, start: slots[0].start };
    };
    const book = async (household: Household) => staff.request('/api/bookings', { json: await bookingOf(household) });
    const booked: Booking[] = [];
    for (const household of households.slice(0, BOOKINGS_BEFORE)) {
      const res = await book(household);
      expect(res.status, await res.clone().text()).toBe(201);
      booked.push((await res.json()) as Booking);
    }

    const refused = await bookingOf(households[BOOKINGS_BEFORE]!);

    // Reminders falling due while the database is away: rows first, then their jobs (as the lifecycle stores them).
    const probe = await openDatabase({ kind: 'postgres', url: databaseUrl, maxConnections: 2 });
    const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: { url: redis.url } });
    // Due from 4 s on: time to store them and start the traffic before the database stops.
    const firstDue = Date.now() + 4_000;
    const reminders = Array.from({ length: REMINDERS }, (_, i) => {
      const dedupeKey = `bkg_pgrestart${String(i).padStart(4, '0')}-reminder-15m-v1`;
      return {
        id: `sms_pgrestart${String(i).padStart(4, '0')}`,
        dedupeKey,
        toPhone: `+86139${String(i).padStart(8, '0')}`,
        body: reminderBody(dedupeKey, '12:15'),
        dueAt: new Date(firstDue + i * 100),
      };
    });
    const stored = new Date();
    await probe.db.insert(schema.smsMessages).values(
      reminders.map((r) => ({
        ...r,
        direction: 'out' as const,
        template: 'reminder-15-min',
        language: 'zh-CN',
        status: 'pending' as const,
        createdAt: stored,
        updatedAt: stored,
      })),
    );
    for (const reminder of reminders) await enqueueSms(smsQueue, reminder, { now: stored });
    const lastDue = reminders.at(-1)!.dueAt.getTime();

    // Traffic through the whole run: reads of the calendar and new bookings, one after the other.
    const answers: Answer[] = [];
    let isTrafficOn = true;
    const ask = async (send: () => Promise<Response>) => {
      const at = Date.now();
      try {
        const res = await send();
        const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
        answers.push({
          at,
          status: res.status,
          code: body.error?.code,
          message: body.error?.message,
          ms: Date.now() - at,
        });
        return res.status;
      } catch {
        answers.push({ at, status: 'no answer', ms: Date.now() - at });
        return 'no answer';
      }
    };
    const calendar = `/api/bookings/calendar?from=${nextWeek.from.toISOString()}&to=${nextWeek.to.toISOString()}`;
    const traffic = (async () => {
      while (isTrafficOn) await ask(() => staff.request(calendar));
    })();

    // The traffic is under way: a first answer came.
    await waitUntil(async () => answers.length > 0, { timeoutMs: 10_000, what: 'a first answer to the traffic' });
    let unavailableLogged = false;
    const loggedUnavailable = server!
      .waitForLine((l) => l.includes('"msg":"database unavailable"'))
      .then(() => {
        unavailableLogged = true;
      });
    const stopAt = Date.now();
    await cluster.stop();
    const stoppedAt = Date.now();
    expect(stoppedAt, 'the database stopped before the first reminder fell due').toBeLessThan(firstDue);

    // While it is away: 503 with a clear message, fast; /readyz names the database; /livez answers.
    await waitUntil(async () => answers.some((a) => a.at >= stoppedAt && a.status === 503), {
      timeoutMs: 10_000,
      what: 'a 503 while the database is away',
    });
    const refusedBooking = await ask(() => staff.request('/api/bookings', { json: refused }));
    expect(refusedBooking).toBe(503);
    const readyz = await fetch(`${baseUrl}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toMatchObject({ status: 'error', failing: ['db'] });
    expect((await fetch(`${baseUrl}/livez`)).status).toBe(200);
    await waitUntil(async () => Date.now() > lastDue + 500, { timeoutMs: 10_000, what: 'every reminder to fall due' });

    const startAt = Date.now();
    await cluster.start();
    const startedAt = Date.now();
    await waitUntil(async () => answers.some((a) => a.at >= startedAt && a.status === 200), {
      timeoutMs: 15_000,
      what: 'a request to succeed after the restart',
    });
    const firstOk = answers.find((a) => a.at >= startedAt && a.status === 200)!;
    const recoveredMs = firstOk.at + firstOk.ms - startedAt;

    // Bookings succeed again.
    for (const household of households.slice(BOOKINGS_BEFORE + 1, BOOKINGS_BEFORE + 3)) {
      const res = await book(household);
      expect(res.status, await res.clone().text()).toBe(201);
      booked.push((await res.json()) as Booking);
    }
    isTrafficOn = false;
    await traffic;

    // The worker resumes: every reminder sent, once.
    await waitUntil(async () => (await countSent(probe.pool!)) === REMINDERS, {
      timeoutMs: 45_000,
      what: `all ${REMINDERS} reminders sent after the restart`,
      describe: async () => `${await countSent(probe.pool!)} sent`,
    });
    const sentAllAt = Date.now();
    const rows = await probe.pool!.query<{ id: string; status: string; provider_id: string; sent_at: Date }>(
      `select id, status, provider_id, sent_at from sms_messages where id like 'sms_pgrestart%' order by id`,
    );
    expect(rows.rows).toHaveLength(REMINDERS);
    for (const row of rows.rows) {
      expect(row).toMatchObject({ status: 'sent', provider_id: `outbox_${row.id}` });
      expect(row.sent_at.getTime()).toBeGreaterThanOrEqual(startAt);
    }
    // No message twice: one row per booking and message, whatever its version, and nothing at all for a refused booking.
    const perMessage = await probe.pool!.query<{ key: string; n: number }>(
      `select regexp_replace(dedupe_key, '-v[0-9]+$', '') as key, count(*)::int as n from sms_messages
        where direction = 'out' group by 1 having count(*) > 1`,
    );
    expect(perMessage.rows).toEqual([]);

    // Nothing lost: every booking answered 201 is there, with its confirmation sent.
    const ids = booked.map((b) => b.id);
    const kept = await probe.pool!.query<{ id: string }>('select id from bookings where id = any($1)', [ids]);
    expect(kept.rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const refusedKept = await probe.pool!.query('select id from bookings where household_id = $1 and start_at = $2', [
      refused.householdId,
      refused.start,
    ]);
    expect(refusedKept.rows).toEqual([]);
    await waitUntil(
      async () => {
        const confirmations = await probe.pool!.query<{ n: number }>(
          `select count(*)::int as n from sms_messages where status = 'sent' and dedupe_key like any($1)`,
          [ids.map((id) => `${id}-confirm-sms-%`)],
        );
        return confirmations.rows[0]!.n === ids.length;
      },
      {
        timeoutMs: 30_000,
        what: 'a sent confirmation for every booking',
        describe: async () => {
          const { rows } = await probe.pool!.query<{ dedupe_key: string; status: string }>(
            'select dedupe_key, status from sms_messages where dedupe_key like any($1) order by 1',
            [ids.map((id) => `${id}-%`)],
          );
          return rows.map((r) => `${r.dedupe_key} ${r.status}`).join(', ');
        },
      },
    );

    const during = answers.filter((a) => a.at >= stopAt && a.at < startedAt);
    const statuses = new Set(during.map((a) => a.status));
    // During the outage: only 503 (a request that reached the database just as it stopped may still have been
    // answered); never a 500 or no answer at all.
    expect([...statuses].filter((s) => s !== 503 && s !== 200)).toEqual([]);
    const refusals = during.filter((a) => a.status === 503);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal.code).toBe('service-unavailable');
      expect(refusal.message).toMatch(/database/i);
    }
    const slowest503 = Math.max(...refusals.map((a) => a.ms));
    expect(slowest503).toBeLessThan(3_000);
    expect(answers.filter((a) => a.status === 500 || a.status === 'no answer')).toEqual([]);
    // The processes kept running through it.
    expect(server!.child.exitCode).toBeNull();
    expect(worker!.child.exitCode).toBeNull();
    // Both logged the outage as JSON lines (no plain-text stacks), and the server never as an unexpected error.
    for (const output of [server!.output, worker!.output]) expect(output.filter(isNotJson)).toEqual([]);
    await loggedUnavailable;
    expect(unavailableLogged).toBe(true);
    expect(server!.output.filter((l) => l.includes('"msg":"unexpected error"'))).toEqual([]);

    const figures = {
      outageMs: startedAt - stopAt,
      stopMs: stoppedAt - stopAt,
      requestsDuringOutage: during.length,
      answered503: refusals.length,
      slowest503Ms: slowest503,
      firstRequestOkAfterStartMs: recoveredMs,
      allRemindersSentAfterStartMs: sentAllAt - startedAt,
    };
    console.log(`postgres restart: ${JSON.stringify(figures)}`);
    await smsQueue.close();
    await probe.close();
  });
});

/** A line that is not one JSON object (what a plain-text stack or console message would be). */
function isNotJson(line: string): boolean {
  try {
    return typeof JSON.parse(line) !== 'object';
  } catch {
    return true;
  }
}

/** How many of the test's reminders are sent. */
async function countSent(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ n: number }>(
    `select count(*)::int as n from sms_messages where id like 'sms_pgrestart%' and status = 'sent'`,
  );
  return result.rows[0]!.n;
}

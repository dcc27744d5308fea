import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { wallClockOf } from '@affection/core';
import { createId, type Database, openDatabase, schema, selectRows } from '@affection/db';
import { DEFAULT_HOME_JOB_PATTERNS, HOME_JOB_NAMES, QUEUE_NAMES, scheduleHomeJobs } from '@affection/jobs';
import {
  createTestPostgres,
  getFreeTcpPort,
  type LivekitServer,
  type RedisServer,
  type RunningProcess,
  runNodeToEnd,
  spawnUntilReady,
  startLivekit,
  startRedis,
  type TestPostgres,
  testEnv,
  waitUntil,
} from '@affection/test-support';
import { Queue, QueueEvents } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/main.ts';

// Two server processes and two worker processes, built as in production (the bundles `npm run build` makes, run by
// plain node with NODE_ENV=production), on one PostgreSQL database, one Redis and one LiveKit, with two Homes.

const root = path.resolve(import.meta.dirname, '../..');
const serverBundle = path.join(root, 'apps/server/dist/main.js');
const workerBundle = path.join(root, 'apps/worker/dist/main.js');
const migrateBundle = path.join(root, 'apps/server/dist/db-migrate.js');

const PUBLIC_URL = 'https://phone.example.org';
const PASSWORD = 'a long password for several processes';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Kiosks of each Home: more than the calls booked in any one minute, so a retried request never meets a full slot. */
const KIOSKS = 10;
/** Calls booked in each minute used. */
const PER_SLOT = 8;
/** The concurrent requests for the one slot of the race, split across both servers. */
const RACE = 200;
/** While the test shortens them, the Homes' routine jobs fall due every 5 s (a cron with seconds). */
const FAST_PATTERN = '*/5 * * * * *';
const FAST_PERIOD_MS = 5_000;

interface HomeFixture {
  label: 'A' | 'B';
  id: string;
  zone: string;
  kioskIds: string[];
  teacher: { id: string; username: string; phone: string };
  /** Households with one child and one approved contact each, taken in order by {@link takeHousehold}. */
  households: { id: string; childId: string; contactId: string }[];
  /** Children added 30 days ago, paired with the teacher: the no-contact alert is due for them. */
  alertChildIds: string[];
  /** Children whose contacts can talk on one weekday morning: the weekly proposals book them. */
  proposalChildIds: string[];
  taken: number;
}

interface Session {
  cookie: string;
  csrf: string;
}

interface ServerEvent {
  event: string;
  data: string;
}

/** A browser-less client of a server-sent event stream. */
interface EventStreamClient {
  events: ServerEvent[];
  changes(): number;
  isEnded(): boolean;
  close(): void;
}

interface Attempt {
  server: 'S1' | 'S2' | 'S2 (retry)';
  status: number | 'network-error';
  reason?: string;
}

interface IntendedBooking {
  home: HomeFixture;
  household: HomeFixture['households'][number];
  start: Date;
  /** What the plan has run by the end of the test, besides the confirmation. */
  due: ('reminder-day-before' | 'reminder-15m' | 'open-room')[];
  attempts: Attempt[];
}

const reasonOf = (json: unknown) => (json as { error?: { details?: { reason?: string } } }).error?.details?.reason;

function takeHousehold(home: HomeFixture) {
  const household = home.households[home.taken];
  if (!household) throw new Error(`Home ${home.label} has no household left`);
  home.taken += 1;
  return household;
}

/** Reads a `text/event-stream` response into events until it ends (the server went away) or is closed. */
async function openEventStream(url: string, session: Session): Promise<EventStreamClient> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { cookie: session.cookie, origin: PUBLIC_URL }, signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const events: ServerEvent[] = [];
  let ended = false;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replaceAll('\r\n', '\n');
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const fields = lines.filter((line) => !line.startsWith(':'));
          if (fields.length === 0) continue; // a heartbeat comment
          const event =
            fields
              .find((line) => line.startsWith('event:'))
              ?.slice(6)
              .trim() ?? 'message';
          const data = fields
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          events.push({ event, data });
        }
      }
    } catch {
      // the connection was cut (the server was killed) or closed by the test
    } finally {
      ended = true;
    }
  })();
  return {
    events,
    changes: () => events.filter((e) => e.event === 'changed').length,
    isEnded: () => ended,
    close: () => controller.abort(),
  };
}

describe('two servers and two workers, built as in production, on one PostgreSQL, Redis and LiveKit', () => {
  let redis: RedisServer;
  let livekit: LivekitServer;
  let postgres: TestPostgres;
  let database: Database;
  let dataDir: string;
  let queueConnection: Redis;
  let homeQueue: Queue;
  const processes: Record<'S1' | 'S2' | 'W1' | 'W2', RunningProcess | undefined> = {
    S1: undefined,
    S2: undefined,
    W1: undefined,
    W2: undefined,
  };
  const urls = { S1: '', S2: '' };
  const sessions = new Map<string, Session>();
  const streams: EventStreamClient[] = [];
  const homes: HomeFixture[] = [];
  const intended: IntendedBooking[] = [];
  /** The minute the reminders fall due: day-before and 15-minute reminders, and rooms opening, all at once. */
  let remindersDueAt: Date;
  let killedWorkerAt: Date | undefined;
  const figures: Record<string, number> = {};
  const startedAt = Date.now();

  const sessionOf = (home: HomeFixture) => sessions.get(home.id) as Session;
  const db = () => database.db;

  async function post(server: 'S1' | 'S2', home: HomeFixture, route: string, body: unknown) {
    const session = sessionOf(home);
    const res = await fetch(`${urls[server]}${route}`, {
      method: 'POST',
      headers: {
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
        'content-type': 'application/json',
        origin: PUBLIC_URL,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  }

  /** Books `booking` through `server`; a request cut by a killed server is sent again through S2, as a proxy would. */
  async function book(server: 'S1' | 'S2', booking: IntendedBooking, body: Record<string, unknown> = {}) {
    const request = {
      householdId: booking.household.id,
      contactId: booking.household.contactId,
      start: booking.start.toISOString(),
      ...body,
    };
    try {
      const { status, json } = await post(server, booking.home, '/api/bookings', request);
      booking.attempts.push({ server, status, ...(reasonOf(json) ? { reason: reasonOf(json) } : {}) });
    } catch {
      booking.attempts.push({ server, status: 'network-error' });
      const { status, json } = await post('S2', booking.home, '/api/bookings', request);
      booking.attempts.push({ server: 'S2 (retry)', status, ...(reasonOf(json) ? { reason: reasonOf(json) } : {}) });
    }
  }

  const startWorker = (label: 'W1' | 'W2') =>
    spawnUntilReady({
      command: process.execPath,
      args: [workerBundle],
      env: env({}),
      label: `built worker ${label}`,
      readyWhen: (line) => line.includes('workers started'),
      timeoutMs: 60_000,
    });

  /** Kills W1 (-9) once a confirmation of a call booked since `since` has been sent, while others are being sent. */
  async function killWorkerMidSend(since: Date): Promise<void> {
    await waitUntil(
      async () => {
        const sent = await selectRows<{ n: number }>(
          db(),
          sql`select count(*)::int as n from sms_messages where status = 'sent' and created_at >= ${since}
                and dedupe_key like '%-confirm-sms-v%'`,
        );
        return (sent[0]?.n ?? 0) > 0;
      },
      { timeoutMs: 30_000, what: 'a confirmation of the calls just booked to be sent', everyMs: 20 },
    );
    killedWorkerAt = new Date();
    processes.W1?.child.kill('SIGKILL');
  }

  function intend(home: HomeFixture, start: Date, due: IntendedBooking['due']): IntendedBooking {
    const booking: IntendedBooking = { home, household: takeHousehold(home), start, due, attempts: [] };
    intended.push(booking);
    return booking;
  }

  const env = (variables: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: testEnv.searchPath,
    NODE_ENV: 'production',
    PUBLIC_URL,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    LIVEKIT_URL: livekit.wsUrl,
    LIVEKIT_API_KEY: livekit.apiKey,
    LIVEKIT_API_SECRET: livekit.apiSecret,
    LOG_LEVEL: 'info',
    ...variables,
  });

  async function seedHome(
    label: 'A' | 'B',
    zone: string,
    phones: { teacher: string; prefix: string },
    households: number,
  ) {
    const { teacher: teacherPhone, prefix: phonePrefix } = phones;
    const id = createId('home');
    await db()
      .insert(schema.homes)
      .values({
        id,
        name: `多进程测试之家${label}`,
        timeZone: zone,
        slotMinutes: 1,
        bufferMinutes: 0,
        minNoticeMinutes: 0,
        weeklyQuotaPerChild: 1,
        bookingHorizonDays: 14,
      });
    const kioskIds = Array.from({ length: KIOSKS }, () => createId('kiosk'));
    await db()
      .insert(schema.kiosks)
      .values(
        kioskIds.map((kioskId, i) => ({ id: kioskId, homeId: id, name: `${i + 1}号机`, enrolledAt: new Date() })),
      );
    const teacher = { id: createId('staff'), username: `mp.teacher.${label.toLowerCase()}`, phone: teacherPhone };
    await db()
      .insert(schema.staff)
      .values({
        id: teacher.id,
        homeId: id,
        role: 'teacher',
        displayName: `值班老师${label}`,
        username: teacher.username,
        phone: teacher.phone,
        passwordHash: await hashPassword(PASSWORD),
      });
    // On duty every day, so the duty digest has someone to text whatever the day.
    await db()
      .insert(schema.dutyPatterns)
      .values(
        [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          id: createId('dutyPattern'),
          homeId: id,
          weekday,
          staffId: teacher.id,
        })),
      );

    const home: HomeFixture = {
      label,
      id,
      zone,
      kioskIds,
      teacher,
      households: [],
      alertChildIds: [],
      proposalChildIds: [],
      taken: 0,
    };
    const longAgo = new Date(Date.now() - 30 * 24 * HOUR);
    const householdRows: (typeof schema.households.$inferInsert)[] = [];
    const childRows: (typeof schema.children.$inferInsert)[] = [];
    const contactRows: (typeof schema.contacts.$inferInsert)[] = [];
    const windowRows: (typeof schema.availabilityWindows.$inferInsert)[] = [];
    const pairingRows: (typeof schema.pairings.$inferInsert)[] = [];
    const add = (n: number, kind: 'bookable' | 'alert' | 'proposal') => {
      const householdId = createId('household');
      const childId = createId('child');
      const contactId = createId('contact');
      householdRows.push({ id: householdId, homeId: id, name: `${kind}家${n}` });
      childRows.push({
        id: childId,
        homeId: id,
        householdId,
        familyName: '王',
        givenName: `小${n}`,
        ...(kind === 'alert' ? { createdAt: longAgo } : {}),
      });
      contactRows.push({
        id: contactId,
        homeId: id,
        householdId,
        name: `家长${n}`,
        relation: 'mother',
        phone: `${phonePrefix}${String(1000 + n).padStart(4, '0')}`,
        timeZone: zone,
        approvedBy: teacher.id,
        approvedAt: new Date(),
      });
      if (kind === 'bookable') home.households.push({ id: householdId, childId, contactId });
      if (kind === 'alert') {
        home.alertChildIds.push(childId);
        pairingRows.push({ id: createId('pairing'), homeId: id, staffId: teacher.id, childId });
      }
      if (kind === 'proposal') {
        home.proposalChildIds.push(childId);
        windowRows.push({
          id: createId('availabilityWindow'),
          contactId,
          weekday: 0,
          startTime: '09:00',
          endTime: '10:00',
        });
      }
    };
    const kinds = [
      ...Array.from({ length: households }, () => 'bookable' as const),
      ...(['alert', 'alert', 'proposal', 'proposal', 'proposal'] as const),
    ];
    for (const [i, kind] of kinds.entries()) add(i + 1, kind);
    await db().insert(schema.households).values(householdRows);
    await db().insert(schema.children).values(childRows);
    await db().insert(schema.contacts).values(contactRows);
    await db().insert(schema.pairings).values(pairingRows);
    homes.push(home);
    // The proposals' weekday is set with the opening hours, once the minute of the reminders is known.
    return { home, windowRows };
  }

  /**
   * Opens each Home for one minute at every start the test books (slots of one minute), and on a weekday morning
   * for the weekly proposals, three days from today so it never meets the other days.
   */
  async function openHomeAt(home: HomeFixture, starts: Date[], proposalWindows: { id: string }[]) {
    const rules = starts.map((start) => {
      const from = wallClockOf(start, home.zone);
      return {
        id: createId('openingRule'),
        homeId: home.id,
        weekday: from.weekday,
        startTime: from.time,
        endTime: wallClockOf(new Date(start.getTime() + MINUTE), home.zone).time,
      };
    });
    const proposalWeekday = wallClockOf(new Date(Date.now() + 3 * 24 * HOUR), home.zone).weekday;
    rules.push({
      id: createId('openingRule'),
      homeId: home.id,
      weekday: proposalWeekday,
      startTime: '09:00',
      endTime: '10:00',
    });
    await db().insert(schema.openingRules).values(rules);
    await db()
      .insert(schema.availabilityWindows)
      .values(
        proposalWindows.map((w) => ({
          ...(w as typeof schema.availabilityWindows.$inferInsert),
          weekday: proposalWeekday,
        })),
      );
  }

  /** The starts that read 23:59 somewhere would need an opening rule ending at 24:00, which the schema refuses. */
  const endsAtMidnight = (starts: Date[]) =>
    homes.some((home) => starts.some((start) => wallClockOf(start, home.zone).time === '23:59'));

  beforeAll(async () => {
    for (const app of ['server', 'worker']) {
      await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-node.ts'), app], { cwd: root });
    }
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-multi-process-'));
    [redis, postgres] = await Promise.all([startRedis(), createTestPostgres()]);
    livekit = await startLivekit();
    const migrated = await runNodeToEnd([migrateBundle], env({}));
    expect(migrated.code, migrated.out).toBe(0);
    database = await openDatabase({ kind: 'postgres', url: postgres.url, maxConnections: 4 });
    queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    homeQueue = new Queue(QUEUE_NAMES.homeSchedules, { connection: queueConnection });

    // Mainland mobiles in Home A (+86 1390000xxxx), Spanish ones in Home B (+34 6100xxxxx).
    const a = await seedHome(
      'A',
      'Asia/Shanghai',
      { teacher: '+8613800000000', prefix: '+861390000' },
      PER_SLOT * 5 + RACE,
    );
    const b = await seedHome('B', 'Europe/Madrid', { teacher: '+34600000000', prefix: '+3461000' }, PER_SLOT * 5);

    const [s1Port, s2Port] = [await getFreeTcpPort(), await getFreeTcpPort()];
    urls.S1 = `http://127.0.0.1:${s1Port}`;
    urls.S2 = `http://127.0.0.1:${s2Port}`;
    const server = (label: 'S1' | 'S2', port: number) =>
      spawnUntilReady({
        command: process.execPath,
        args: [serverBundle],
        env: env({ PORT: String(port) }),
        label: `built server ${label}`,
        readyWhen: (line) => line.includes('server listening'),
        timeoutMs: 60_000,
      });
    // Every start is awaited, failed or not, so that afterAll stops whichever did start.
    const started = await Promise.allSettled(
      (
        [
          ['S1', server('S1', s1Port)],
          ['S2', server('S2', s2Port)],
          ['W1', startWorker('W1')],
          ['W2', startWorker('W2')],
        ] as const
      ).map(async ([label, starting]) => {
        processes[label] = await starting;
      }),
    );
    for (const result of started) if (result.status === 'rejected') throw result.reason;

    // The reminders fall due at the first whole minute at least 20 s from now: the calls 24 h and 15 min after it
    // are booked before then, and their reminders come while the test runs.
    let due = Math.ceil((Date.now() + 20_000) / MINUTE) * MINUTE;
    const startsOf = (at: number) =>
      [5, 15, 30, 40, 41].map((m) => new Date(at + m * MINUTE)).concat(new Date(at + 24 * HOUR));
    while (endsAtMidnight(startsOf(due))) due += MINUTE;
    remindersDueAt = new Date(due);
    await openHomeAt(a.home, startsOf(due), a.windowRows);
    await openHomeAt(
      b.home,
      startsOf(due).filter((start) => start.getTime() !== due + 30 * MINUTE),
      b.windowRows,
    );

    // Each teacher signs in on one server; the session (a row in PostgreSQL) serves on both.
    for (const [home, server] of [
      [a.home, 'S1'],
      [b.home, 'S2'],
    ] as const) {
      const res = await fetch(`${urls[server]}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
        body: JSON.stringify({ login: home.teacher.username, password: PASSWORD }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      sessions.set(home.id, { cookie, csrf: csrfToken });
    }
    figures.setupSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
  }, 180_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    for (const running of Object.values(processes)) running?.child.kill('SIGKILL');
    await Promise.all(Object.values(processes).map((running) => running?.exited));
    await homeQueue?.close();
    queueConnection?.disconnect();
    await database?.close();
    await livekit?.stop();
    await redis?.stop();
    await postgres?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    console.log(
      JSON.stringify({ test: 'multi-process', seconds: Math.round((Date.now() - startedAt) / 1000), ...figures }),
    );
  });

  it("a change made through one server reaches the other server's board stream, and only its own Home's", async () => {
    const [a, b] = homes as [HomeFixture, HomeFixture];
    const open = async (home: HomeFixture, server: 'S1' | 'S2') => {
      const stream = await openEventStream(`${urls[server]}/api/board/stream`, sessionOf(home));
      streams.push(stream);
      return stream;
    };
    const aOnS1 = await open(a, 'S1');
    const aOnS2 = await open(a, 'S2');
    const bOnS1 = await open(b, 'S1');
    const bOnS2 = await open(b, 'S2');
    await waitUntil(async () => streams.every((s) => s.events.some((e) => e.event === 'ready')), {
      timeoutMs: 10_000,
      what: 'every board stream to say ready',
    });
    const dayAhead = new Date(remindersDueAt.getTime() + 24 * HOUR);

    // Home A's call booked through S1: the board of Home A open on S2 hears of it (Redis pub/sub), as does S1's.
    const first = intend(a, dayAhead, ['reminder-day-before']);
    await book('S1', first);
    expect(first.attempts).toEqual([{ server: 'S1', status: 201 }]);
    await waitUntil(async () => aOnS2.changes() >= 1 && aOnS1.changes() >= 1, {
      timeoutMs: 10_000,
      what: "Home A's boards on both servers to hear of a booking made through S1",
    });

    // Home B's call booked through S2: Home B's board on S1 hears of it. Home A's change was published before, on
    // the same channels' server, so had it leaked to Home B's boards it would have come first.
    const second = intend(b, dayAhead, ['reminder-day-before']);
    await book('S2', second);
    expect(second.attempts).toEqual([{ server: 'S2', status: 201 }]);
    await waitUntil(async () => bOnS1.changes() >= 1 && bOnS2.changes() >= 1, {
      timeoutMs: 10_000,
      what: "Home B's boards on both servers to hear of a booking made through S2",
    });
    expect([bOnS1.changes(), bOnS2.changes()]).toEqual([1, 1]);

    // And Home A's again, through S2 this time: heard on S1; Home B's change never reached Home A's boards.
    const third = intend(a, dayAhead, ['reminder-day-before']);
    await book('S2', third);
    await waitUntil(async () => aOnS1.changes() >= 2 && aOnS2.changes() >= 2, {
      timeoutMs: 10_000,
      what: "Home A's boards to hear of a booking made through S2",
    });
    expect([aOnS1.changes(), aOnS2.changes()]).toEqual([2, 2]);
    expect(aOnS1.events.find((e) => e.event === 'changed')?.data).toBe('{"kinds":["booking"]}');
  });

  it("no longer offers, on either server, a slot booked through the other: each server's slot search is fresh", async () => {
    const [a] = homes as [HomeFixture];
    const next = a.households[a.taken];
    if (!next) throw new Error('Home A has no household left');
    const from = new Date(remindersDueAt.getTime() + 24 * HOUR);
    const to = new Date(from.getTime() + 24 * HOUR);
    const offeredOn = async (server: 'S1' | 'S2') => {
      const session = sessionOf(a);
      const query = new URLSearchParams({
        householdId: next.id,
        contactId: next.contactId,
        anyTime: 'true',
        from: from.toISOString(),
        to: to.toISOString(),
      });
      const res = await fetch(`${urls[server]}/api/bookings/available-slots?${query}`, {
        headers: { cookie: session.cookie, origin: PUBLIC_URL },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { slots: { start: string }[] }).slots.map((slot) => slot.start);
    };
    // Both servers have searched (and hold the Home in memory) before the booking.
    const before = await offeredOn('S2');
    expect(await offeredOn('S1')).toEqual(before);
    const start = before[0];
    if (!start) throw new Error('no slot offered');
    const booking = intend(a, new Date(start), ['reminder-day-before']);
    expect(booking.household.id).toBe(next.id);
    await book('S1', booking);
    expect(booking.attempts).toEqual([{ server: 'S1', status: 201 }]);
    // The very next search on the other server already leaves it out (the child is busy then).
    expect(await offeredOn('S2')).not.toContain(start);
    expect(await offeredOn('S1')).not.toContain(start);
  });

  it('books through both servers, in both Homes and 200 at once for one slot, while a worker is killed', async () => {
    const [a, b] = homes as [HomeFixture, HomeFixture];
    const dayAhead = new Date(remindersDueAt.getTime() + 24 * HOUR);
    const quarterAhead = new Date(remindersDueAt.getTime() + 15 * MINUTE);
    const batch: IntendedBooking[] = [];
    for (const home of [a, b]) {
      while (intended.filter((i) => i.home === home && i.start.getTime() === dayAhead.getTime()).length < PER_SLOT) {
        batch.push(intend(home, dayAhead, ['reminder-day-before']));
      }
      for (let i = 0; i < PER_SLOT; i += 1) batch.push(intend(home, quarterAhead, ['reminder-15m']));
    }
    // W1 is killed (-9) while it sends their confirmations, and started again, as systemd's Restart=on-failure does.
    const batchStarted = new Date();
    await Promise.all([
      ...batch.map((booking, i) => book(i % 2 === 0 ? 'S1' : 'S2', booking)),
      killWorkerMidSend(batchStarted),
    ]);
    expect(batch.flatMap((booking) => booking.attempts.map((attempt) => attempt.status))).toEqual(batch.map(() => 201));
    expect(Date.now(), 'the calls of the reminders were booked before the reminders fell due').toBeLessThan(
      remindersDueAt.getTime() - 2_000,
    );
    expect(await processes.W1?.exited).toBe(null);
    figures.killedWorkerAfterMs = (killedWorkerAt as Date).getTime() - batchStarted.getTime();
    processes.W1 = await startWorker('W1');

    // 200 households of Home A ask for the same kiosk in the same minute, half through each server.
    const raceStart = new Date(remindersDueAt.getTime() + 30 * MINUTE);
    const racers = Array.from({ length: RACE }, () => intend(a, raceStart, []));
    const raceStarted = performance.now();
    await Promise.all(racers.map((racer, i) => book(i % 2 === 0 ? 'S1' : 'S2', racer, { kioskId: a.kioskIds[0] })));
    figures.raceMs = Math.round(performance.now() - raceStarted);
    const outcomes = racers.map((racer) => racer.attempts[0]);
    expect(outcomes.filter((o) => o?.status === 201)).toHaveLength(1);
    expect(outcomes.filter((o) => o?.status === 409 && o.reason === 'slot-taken')).toHaveLength(RACE - 1);
    // Both servers answered some of the refusals.
    expect(new Set(outcomes.filter((o) => o?.status === 409).map((o) => o?.server))).toEqual(new Set(['S1', 'S2']));
    const refusal = await post('S2', a, '/api/bookings', {
      householdId: racers[RACE - 1]?.household.id,
      contactId: racers[RACE - 1]?.household.contactId,
      start: raceStart.toISOString(),
      kioskId: a.kioskIds[0],
    });
    expect(refusal.status).toBe(409);
    expect(refusal.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    // The losers are not intended bookings any more: exactly one call holds the slot.
    const held = await selectRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from bookings where home_id = ${a.id} and kiosk_id = ${a.kioskIds[0]}
            and start_at = ${raceStart}`,
    );
    expect(held[0]?.n).toBe(1);
    const winner = racers.find((racer) => racer.attempts[0]?.status === 201) as IntendedBooking;
    intended.splice(0, intended.length, ...intended.filter((i) => !racers.includes(i) || i === winner));
  });

  it('runs each Home job once per Home and period, whichever worker takes it', async () => {
    const [a, b] = homes as [HomeFixture, HomeFixture];
    const isIdle = async () => {
      const counts = await homeQueue.getJobCounts('waiting', 'active', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    };
    // Both workers upserted the same schedulers at start: three per Home and the sync, each with one next job.
    const schedulers = await homeQueue.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual(
      [...homes.flatMap((home) => HOME_JOB_NAMES.map((name) => `${name}:${home.id}`)), 'sync-home-schedules'].sort(),
    );
    await waitUntil(isIdle, { timeoutMs: 20_000, what: 'the workers to finish the schedule sync of their start' });

    const eventsConnection = queueConnection.duplicate();
    const events = new QueueEvents(QUEUE_NAMES.homeSchedules, { connection: eventsConnection });
    const taken = new Map<string, number>();
    const completed = new Map<string, number>();
    events.on('active', ({ jobId }) => taken.set(jobId, (taken.get(jobId) ?? 0) + 1));
    events.on('completed', ({ jobId }) => completed.set(jobId, (completed.get(jobId) ?? 0) + 1));
    await events.waitUntilReady();
    try {
      // The test shortens each Home's period to 5 s with the workers' own scheduler ids, as a Home's change of zone
      // does; both workers keep taking jobs from the queue.
      await scheduleHomeJobs(
        homeQueue,
        homes.map((home) => ({ id: home.id, timeZone: home.zone })),
        {
          patterns: { 'duty-digest': FAST_PATTERN, 'no-contact-alert': FAST_PATTERN, 'weekly-proposals': FAST_PATTERN },
        },
      );
      /** Runs by Home, job and period (the period's time is the last part of the scheduler's job id). */
      const runs = () => {
        const byPeriod = new Map<string, number>();
        for (const [jobId, n] of completed) {
          const parts = jobId.split(':');
          const name = parts[1] ?? '';
          const homeId = parts.find((part) => part.startsWith('hom_')) ?? '';
          const period = parts.at(-1) ?? '';
          if (!HOME_JOB_NAMES.includes(name as (typeof HOME_JOB_NAMES)[number])) continue;
          const key = `${name} ${homeId} ${period}`;
          byPeriod.set(key, (byPeriod.get(key) ?? 0) + n);
        }
        return byPeriod;
      };
      const periodsOf = (name: string, homeId: string) =>
        [...runs().keys()].filter((key) => key.startsWith(`${name} ${homeId} `)).length;
      await waitUntil(
        async () => homes.every((home) => HOME_JOB_NAMES.every((name) => periodsOf(name, home.id) >= 2)),
        { timeoutMs: 4 * FAST_PERIOD_MS + 10_000, what: 'two periods of each Home job', everyMs: 200 },
      );
      await scheduleHomeJobs(
        homeQueue,
        homes.map((home) => ({ id: home.id, timeZone: home.zone })),
      );
      await waitUntil(isIdle, { timeoutMs: 30_000, what: 'the last Home jobs to finish' });

      // Once per Home and period: never two runs of one period, whichever worker took it.
      const byPeriod = runs();
      expect([...byPeriod.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...taken.entries()].filter(([jobId, n]) => jobId.startsWith('repeat:') && n !== 1)).toEqual([]);
      figures.homeJobRuns = byPeriod.size;
      // Which worker ran them (each logs the runs it made).
      for (const label of ['W1', 'W2'] as const) {
        figures[`homeJobRuns${label}`] =
          processes[label]?.output.filter((line) => line.includes('"msg":"home job done"')).length ?? 0;
      }
    } finally {
      await events.close();
      eventsConnection.disconnect();
    }

    // Back to the standard schedules: each with one next job, at its standard time.
    const after = await homeQueue.getJobSchedulers(0, -1);
    for (const home of homes) {
      for (const name of HOME_JOB_NAMES) {
        expect(after.find((s) => s.key === `${name}:${home.id}`)).toMatchObject({
          pattern: DEFAULT_HOME_JOB_PATTERNS[name],
          tz: home.zone,
        });
      }
    }
    const delayed = (await homeQueue.getDelayed(0, -1)).map((job) => job.id ?? '');
    for (const home of homes) {
      for (const name of HOME_JOB_NAMES) {
        expect(
          delayed.filter((id) => id.startsWith(`repeat:${name}:${home.id}:`)),
          `${name} ${home.label}`,
        ).toHaveLength(1);
      }
    }

    // What the runs did, once whatever the number of runs: a digest to each duty teacher, an alert per child
    // and teacher, one proposal per child who can be proposed a call, each parent told once.
    for (const home of [a, b]) {
      const digests = await selectRows<{ dedupe_key: string; status: string }>(
        db(),
        sql`select dedupe_key, status from sms_messages where home_id = ${home.id} and dedupe_key like ${`${home.id}-duty-digest-%`}`,
      );
      expect(digests.map((d) => d.dedupe_key)).toEqual([
        `${home.id}-duty-digest-${wallClockOf(new Date(), home.zone).date}-${home.teacher.id}`,
      ]);
      const alerts = await selectRows<{ dedupe_key: string }>(
        db(),
        sql`select dedupe_key from sms_messages where to_phone = ${home.teacher.phone} and dedupe_key like '%-no-contact-%'`,
      );
      expect(alerts.map((row) => row.dedupe_key.split('-no-contact-')[0]).sort()).toEqual(
        [...home.alertChildIds].sort(),
      );
      const proposals = await selectRows<{ id: string; child_id: string }>(
        db(),
        sql`select b.id, bc.child_id from bookings b join booking_children bc on bc.booking_id = b.id
             where b.home_id = ${home.id} and b.source = 'auto'`,
      );
      expect(proposals.map((p) => p.child_id).sort()).toEqual([...home.proposalChildIds].sort());
      const told = await selectRows<{ dedupe_key: string }>(
        db(),
        sql`select dedupe_key from sms_messages where home_id = ${home.id} and dedupe_key like '%-proposed-v%'`,
      );
      expect(told.map((m) => m.dedupe_key).sort()).toEqual(proposals.map((p) => `${p.id}-proposed-v1`).sort());
    }
  });

  it('loses and repeats nothing when a server is killed (-9) mid-run too: every call, message and step once', async () => {
    const [a, b] = homes as [HomeFixture, HomeFixture];
    const [aOnS1, aOnS2] = streams as [EventStreamClient, EventStreamClient];
    const due = remindersDueAt.getTime();
    const batch: IntendedBooking[] = [];
    for (const home of [a, b]) {
      for (let i = 0; i < 2; i += 1) batch.push(intend(home, new Date(due + 5 * MINUTE), ['open-room']));
      for (const minute of [40, 41]) {
        for (let i = 0; i < PER_SLOT; i += 1) batch.push(intend(home, new Date(due + minute * MINUTE), []));
      }
    }
    const batchStarted = new Date();
    let killedServerAt: Date | undefined;
    // S1 is killed as soon as it has answered one of these requests, with the rest in flight.
    const requests = batch.map(async (booking, i) => {
      await book(i % 2 === 0 ? 'S1' : 'S2', booking);
      if (!killedServerAt && booking.attempts[0]?.server === 'S1') {
        killedServerAt = new Date();
        processes.S1?.child.kill('SIGKILL');
      }
    });
    await Promise.all(requests);
    expect(await processes.S1?.exited).toBe(null);
    figures.requestsCutByTheKill = batch.filter((booking) => booking.attempts[0]?.status === 'network-error').length;

    // Every request was answered (by S1 before it died, or by S2): booked, or, when the cut request had been
    // booked before S1 died, refused because the household's child is in that call.
    for (const booking of batch) {
      const last = booking.attempts.at(-1);
      const ok =
        last?.status === 201 ||
        (booking.attempts[0]?.status === 'network-error' &&
          last?.status === 409 &&
          ['child-busy', 'contact-busy'].includes(last.reason ?? ''));
      expect(ok, JSON.stringify(booking.attempts)).toBe(true);
    }

    // The board on the surviving server still hears of changes; the one on the killed server has ended.
    const before = aOnS2.changes();
    // (a household not booked yet, on one of the two kiosks still free in the day-ahead minute)
    const late = intend(a, new Date(due + 24 * HOUR), ['reminder-day-before']);
    await book('S2', late);
    expect(late.attempts).toEqual([{ server: 'S2', status: 201 }]);
    await waitUntil(async () => aOnS2.changes() > before, {
      timeoutMs: 10_000,
      what: "Home A's board on S2 to hear of a booking after S1 was killed",
    });
    expect(aOnS1.isEnded()).toBe(true);
    expect((await fetch(`${urls.S2}/healthz`)).status).toBe(200);

    // Wait until the reminders have fallen due and everything due is done, by the surviving worker too: the killed
    // worker's jobs stall and are taken over, its claimed messages after their lease.
    const bookingIds = async () =>
      (
        await selectRows<{ id: string; household_id: string; start_ms: string }>(
          db(),
          sql`select id, household_id, (extract(epoch from start_at) * 1000)::bigint::text as start_ms
                from bookings where source = 'teacher'`,
        )
      ).map((row) => ({ id: row.id, household_id: row.household_id, start_at: new Date(Number(row.start_ms)) }));
    const outstanding = async () => {
      if (Date.now() < due + 1_000) return 'the reminders are not due yet';
      const sms = await selectRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from sms_messages where direction = 'out' and status in ('pending', 'sending')
              and due_at <= now()`,
      );
      const steps = await selectRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from booking_steps where state in ('pending', 'running') and due_at <= now()`,
      );
      const unplanned = await selectRows<{ n: number }>(
        db(),
        sql`select count(*)::int as n from bookings b where b.status = 'confirmed'
              and not exists (select 1 from booking_steps s where s.booking_id = b.id)`,
      );
      const left = { sms: sms[0]?.n ?? 0, steps: steps[0]?.n ?? 0, unplanned: unplanned[0]?.n ?? 0 };
      return left.sms + left.steps + left.unplanned === 0 ? '' : JSON.stringify(left);
    };
    await waitUntil(async () => (await outstanding()) === '', {
      timeoutMs: 150_000,
      everyMs: 500,
      what: 'every due message sent and every due step done',
      describe: outstanding,
    });
    figures.settledSecondsAfterKill = Math.round((Date.now() - (killedWorkerAt as Date).getTime()) / 1000);
    figures.settledSecondsAfterDue = Math.round((Date.now() - due) / 1000);
    const checkedAt = new Date();

    // Every intended call booked exactly once.
    const booked = await bookingIds();
    for (const booking of intended) {
      const rows = booked.filter(
        (row) => row.household_id === booking.household.id && row.start_at.getTime() === booking.start.getTime(),
      );
      expect(
        rows,
        `${booking.home.label} ${booking.start.toISOString()} ${JSON.stringify(booking.attempts)}`,
      ).toHaveLength(1);
    }
    expect(booked).toHaveLength(intended.length);
    figures.bookings = intended.length;

    // Each call's steps due by now, once each and done; each message due by now sent once through the outbox.
    const steps = await selectRows<{
      booking_id: string;
      kind: string;
      state: string;
      attempts: number;
      last_error: string | null;
    }>(db(), sql`select booking_id, kind, state, attempts, last_error from booking_steps where due_at <= ${checkedAt}`);
    const messages = await selectRows<{
      booking_id: string;
      dedupe_key: string;
      status: string;
      provider: string | null;
      attempts: number;
    }>(
      db(),
      sql`select booking_id, dedupe_key, status, provider, attempts from sms_messages
           where booking_id is not null and due_at <= ${checkedAt} and dedupe_key not like '%-proposed-v%'`,
    );
    const idOf = new Map(booked.map((row) => [`${row.household_id} ${row.start_at.getTime()}`, row.id] as const));
    let reminders = 0;
    for (const booking of intended) {
      const id = idOf.get(`${booking.household.id} ${booking.start.getTime()}`) as string;
      const own = steps.filter((s) => s.booking_id === id);
      const label = `${booking.home.label} ${id}`;
      expect(own.map((s) => s.kind).sort(), label).toEqual(['confirm-sms', ...booking.due].sort());
      expect(
        own.filter((s) => s.state !== 'done'),
        label,
      ).toEqual([]);
      const smsKinds = ['confirm-sms', ...booking.due.filter((kind) => kind !== 'open-room')];
      const own_messages = messages.filter((m) => m.booking_id === id);
      expect(own_messages.map((m) => m.dedupe_key).sort(), label).toEqual(smsKinds.map((k) => `${id}-${k}-v1`).sort());
      expect(
        own_messages.filter((m) => m.status !== 'sent' || m.provider !== 'outbox'),
        label,
      ).toEqual([]);
      reminders += smsKinds.length - 1;
      if (booking.due.includes('open-room')) {
        expect(own.find((s) => s.kind === 'open-room')?.last_error, label).toMatch(/^opened/);
      }
    }
    figures.reminders = reminders;
    figures.messages = messages.length;
    figures.stepsTakenOver = steps.filter((s) => s.attempts > 1).length;

    // The rooms the workers opened are in the one LiveKit.
    const rooms = await new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret).listRooms();
    const opened = intended.filter((booking) => booking.due.includes('open-room'));
    expect(rooms.map((room) => room.name)).toEqual(
      expect.arrayContaining(opened.map((booking) => idOf.get(`${booking.household.id} ${booking.start.getTime()}`))),
    );
    figures.killedServerAfterMs = (killedServerAt as Date).getTime() - batchStarted.getTime();
  }, 240_000);
});

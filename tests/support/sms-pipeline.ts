import assert from 'node:assert/strict';
import path from 'node:path';
import { type Database, type Db, migrateDatabase, openDatabase, schema, selectRows } from '@affection/db';
import {
  enqueueSmsBatch,
  QUEUE_NAMES,
  type RunningWorkers,
  type SmsWorkerOptions,
  startWorkers,
} from '@affection/jobs';
import { type RedisServer, type RunningProcess, spawnUntilReady, startRedis } from '@affection/runtime';
import { TwilioSmsSender } from '@affection/telephony';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { type FakeTwilio, type FakeTwilioOptions, startFakeTwilio } from './fake-twilio.ts';
import { createTestPostgres, openTestDatabase, type TestDatabaseKind } from './postgres.ts';
import type { SmsWorkerProcessConfig } from './sms-worker-process.ts';

/** A reminder stored as a `pending` outgoing message. */
export interface StoredReminder {
  id: string;
  dedupeKey: string;
  toPhone: string;
  body: string;
  dueAt: Date;
}

/** Options for {@link storeReminders}. */
export interface StoreRemindersOptions {
  count: number;
  /** Due times are spread over [firstDueAt, firstDueAt + spreadMs). */
  firstDueAt: Date;
  spreadMs: number;
  /** Seed of the due-time spread (uniform, seeded). Default 1. */
  seed?: number;
  /** Tells bookings of different batches apart. Default `b`. */
  prefix?: string;
  /** The booking version in the dedupe key. Default 1. */
  version?: number;
  /** Says the slot's time in the text. Default `12:15`. */
  slotTime?: string;
  /** Stores only the bookings with these numbers (0 … count − 1). Default all. */
  only?: (booking: number) => boolean;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text of a reminder; it names its dedupe key in brackets so the fake's record maps back to the row. */
export function reminderBody(dedupeKey: string, slotTime: string): string {
  return `王小明的亲情电话在${slotTime}，请准时接听。[${dedupeKey}]【某某小学留守儿童之家】`;
}

/** The dedupe key named in a reminder's text, or null. */
export function dedupeKeyOfBody(body: string): string | null {
  return /\[([^\]]+)\]/.exec(body)?.[1] ?? null;
}

/**
 * Stores reminders as `pending` rows (rows first, jobs after), in batches of 1 000. Booking ids are
 * made up (`bkg_<prefix><n>`), so the rows carry them only in the dedupe key.
 */
export async function storeReminders(db: Db, options: StoreRemindersOptions): Promise<StoredReminder[]> {
  const random = seededRandom(options.seed ?? 1);
  const prefix = options.prefix ?? 'b';
  const version = options.version ?? 1;
  const now = new Date();
  const reminders: StoredReminder[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const dueAt = new Date(options.firstDueAt.getTime() + Math.floor(random() * options.spreadMs));
    if (options.only && !options.only(i)) continue;
    const bookingId = `bkg_${prefix}${String(i).padStart(7, '0')}`;
    const dedupeKey = `${bookingId}-reminder-15m-v${version}`;
    reminders.push({
      id: `sms_${prefix}${String(i).padStart(7, '0')}v${version}`,
      dedupeKey,
      toPhone: `+86139${String(i).padStart(8, '0')}`,
      body: reminderBody(dedupeKey, options.slotTime ?? '12:15'),
      dueAt,
    });
  }
  const batches: StoredReminder[][] = [];
  for (let start = 0; start < reminders.length; start += 1_000) batches.push(reminders.slice(start, start + 1_000));
  // Four batches at a time: the pool has room, and 100 000 rows go in several times faster.
  for (let next = 0; next < batches.length; next += 4) {
    await Promise.all(batches.slice(next, next + 4).map((batch) => insertReminders(db, batch, now)));
  }
  return reminders;
}

async function insertReminders(db: Db, batch: StoredReminder[], now: Date): Promise<void> {
  await db.insert(schema.smsMessages).values(
    batch.map((r) => ({
      id: r.id,
      direction: 'out' as const,
      dedupeKey: r.dedupeKey,
      toPhone: r.toPhone,
      body: r.body,
      template: 'reminder-15-min',
      language: 'zh-CN',
      status: 'pending' as const,
      dueAt: r.dueAt,
      createdAt: now,
      updatedAt: now,
    })),
  );
}

/** How many messages the fake Twilio accepted per dedupe key (read from each message's text). */
export function acceptedPerDedupeKey(fake: FakeTwilio): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of fake.messages.values()) {
    const key = dedupeKeyOfBody(message.body) ?? '(none)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * For each dedupe key the fake accepted more than once: every request about its number (method,
 * status, arrival relative to the first), to say how a duplicate came about.
 */
export function describeDuplicates(fake: FakeTwilio): string {
  const twice = [...acceptedPerDedupeKey(fake)].filter(([, n]) => n > 1).map(([key]) => key);
  return twice
    .map((key) => {
      const to = [...fake.messages.values()].find((m) => dedupeKeyOfBody(m.body) === key)?.to;
      const about = fake.requests.filter(
        (r) =>
          dedupeKeyOfBody(r.form.Body ?? '') === key || (to !== undefined && r.path.includes(encodeURIComponent(to))),
      );
      const t0 = about[0]?.receivedAt ?? 0;
      return `${key}: ${about.map((r) => `${r.method}@${r.receivedAt - t0}ms→${r.responseStatus}`).join(', ')}`;
    })
    .join('\n');
}

/** How many messages the fake Twilio accepted per idempotency key (the row id, in the status callback URL). */
export function acceptedPerIdempotencyKey(fake: FakeTwilio): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of fake.messages.values()) {
    const key = message.statusCallback ? new URL(message.statusCallback).searchParams.get('idempotencyKey') : null;
    counts.set(key ?? '(none)', (counts.get(key ?? '(none)') ?? 0) + 1);
  }
  return counts;
}

/** What {@link expectDeliveredExactlyOnce} holds a world to. */
export interface DeliveredExactlyOnceExpectation {
  /** The messages that must each have reached the provider exactly once, and nothing else with them. */
  delivered: readonly StoredReminder[];
  /** Messages that must never have reached it (cancelled, moved). Default none. */
  notDelivered?: readonly StoredReminder[];
  /** The outgoing rows by status at the end. Default: every delivered one `sent`, nothing else. */
  statuses?: Record<string, number>;
}

/** What the provider accepted, for a fault test's report line. */
export interface DeliveryCounts {
  /** Messages the provider accepted. */
  accepted: number;
  /** Dedupe keys it accepted more than once (0 whenever the assertion passed). */
  twice: number;
}

/**
 * The fault tests' one verdict, once the pipeline has settled: the fake provider accepted each expected message
 * exactly once, counted both by the dedupe key its text names and by the idempotency key (the row id) in its status
 * callback; it accepted no other message, none of `notDelivered`; and the rows ended with the expected statuses.
 * A duplicate fails with every request about its number (see {@link describeDuplicates}).
 * @throws AssertionError naming the first thing that does not hold.
 * @example const { twice } = await expectDeliveredExactlyOnce(world, { delivered: reminders });
 */
export async function expectDeliveredExactlyOnce(
  world: SmsWorld,
  expected: DeliveredExactlyOnceExpectation,
): Promise<DeliveryCounts> {
  const { fake, database } = world;
  const perKey = acceptedPerDedupeKey(fake);
  const twice = [...perKey.values()].filter((n) => n > 1).length;
  assert.equal(twice, 0, `accepted more than once:\n${describeDuplicates(fake)}`);
  const sorted = (values: Iterable<string>) => [...values].sort();
  assert.deepEqual(
    sorted(perKey.keys()),
    sorted(expected.delivered.map((r) => r.dedupeKey)),
    'the provider accepted other messages (by dedupe key) than those expected',
  );
  const perId = acceptedPerIdempotencyKey(fake);
  assert.deepEqual(
    sorted(perId.keys()),
    sorted(expected.delivered.map((r) => r.id)),
    'the provider accepted other rows (by idempotency key) than those expected',
  );
  const againById = [...perId].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(againById, [], 'rows accepted more than once (by idempotency key)');
  const leaked = (expected.notDelivered ?? []).filter((r) => perKey.has(r.dedupeKey) || perId.has(r.id));
  assert.deepEqual(
    leaked.map((r) => r.dedupeKey),
    [],
    'messages that must not go out reached the provider',
  );
  assert.deepEqual(
    await countSmsByStatus(database.db),
    expected.statuses ?? { sent: expected.delivered.length },
    'outgoing rows by status',
  );
  return { accepted: fake.messages.size, twice };
}

/** Counts of outgoing messages by status. */
export async function countSmsByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await selectRows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from sms_messages where direction = 'out' group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * Waits until `check` holds, checking again after each real round trip it makes (plus `everyMs`,
 * default 100 ms, so it does not hammer the database); fails after `timeoutMs` saying `what`.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; what: string; everyMs?: number; describe?: () => Promise<string> },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const detail = options.describe ? `: ${await options.describe()}` : '';
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/**
 * True when nothing is left to do: no outgoing message is `pending` or `sending`, and the `sms`
 * queue has no waiting, delayed, active or prioritized job.
 */
export async function isSmsPipelineIdle(db: Db, smsQueue: Queue): Promise<boolean> {
  const statuses = await countSmsByStatus(db);
  if ((statuses.pending ?? 0) > 0 || (statuses.sending ?? 0) > 0) return false;
  const jobs = await smsQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  return Object.values(jobs).every((n) => n === 0);
}

const workerScript = path.resolve(import.meta.dirname, 'sms-worker-process.ts');

/**
 * Starts `sms-worker-process.ts` in its own Node process (with extra Node flags, e.g. `--cpu-prof`);
 * resolves once it takes jobs.
 */
export function spawnSmsWorker(config: SmsWorkerProcessConfig, nodeArgs: string[] = []): Promise<RunningProcess> {
  return spawnUntilReady({
    command: process.execPath,
    args: [...nodeArgs, '--import', 'tsx', workerScript, JSON.stringify(config)],
    cwd: path.resolve(import.meta.dirname, '../..'),
    label: `sms worker ${config.workerId}`,
    readyWhen: (line) => line.includes('sms worker ready'),
    timeoutMs: 60_000,
  });
}

/** Worker settings for fault tests: fast limiter, short leases and locks, a reconciler every 2 s. */
export const FAULT_TEST_SMS_OPTIONS: SmsWorkerOptions = {
  perSecond: 2_000,
  concurrency: 50,
  backoffMs: 300,
  backoffMaxMs: 3_000,
  rateLimitPauseMs: 500,
  sendLeaseMs: 3_000,
  ambiguousSettleMs: 1_000,
  lockDurationMs: 3_000,
  stalledIntervalMs: 1_000,
  reconcileEveryMs: 2_000,
  reconcileHorizonMs: 10_000,
  // Never called by the fake unless a test asks; it carries the row id into the fake's record.
  statusCallbackUrl: 'http://127.0.0.1:9/webhooks/twilio/status',
};

/** The Twilio sender's timeout in fault tests: shorter than {@link FAULT_TEST_SMS_OPTIONS}' send lease. */
export const FAULT_TEST_TWILIO_TIMEOUT_MS = 1_000;

/** Options of {@link ProviderWorld.twilioSender}. */
export interface TwilioSenderOptions {
  /** The client's timeout. Default {@link FAULT_TEST_TWILIO_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** The fake Twilio alone, and senders pointed at it: the world of a test of the sender itself. */
export interface ProviderWorld {
  fake: FakeTwilio;
  /** A Twilio sender on the fake. */
  twilioSender(options?: TwilioSenderOptions): TwilioSmsSender;
  close(): Promise<void>;
}

/** Options of {@link SmsWorld.scheduleReminders}: {@link StoreRemindersOptions}, due from now. */
export interface ScheduleRemindersOptions extends Omit<StoreRemindersOptions, 'firstDueAt'> {
  /** The first reminder is due this long from now; the rest over the next `spreadMs`. */
  firstDueInMs: number;
}

/** Options of {@link SmsWorld.waitUntilSettled}. */
export interface WaitUntilSettledOptions {
  /** How many messages the provider must have accepted. */
  messages: number;
  /** For those messages. Default 120 s. */
  timeoutMs?: number;
  /** Then for every row settled and the queue empty. Default 60 s. */
  idleTimeoutMs?: number;
}

/** Real Redis, a database, a fake Twilio, and in-process workers to start: one fault test's world. */
export interface SmsWorld extends ProviderWorld {
  redis: RedisServer;
  database: Database;
  /** The PostgreSQL database's URL (for worker processes); undefined on PGlite. */
  databaseUrl: string | undefined;
  /** A producer on the `sms` queue. */
  smsQueue: Queue;
  /** Every log line of the in-process workers. */
  logs: { level: string; message: string; fields: Record<string, unknown> }[];
  /** Settings for a worker process on this world (see {@link spawnSmsWorker}). */
  workerProcessConfig(workerId: string, sms?: SmsWorkerOptions): SmsWorkerProcessConfig;
  /** Starts workers in this process (closed by `close()`). */
  startWorkers(sms?: SmsWorkerOptions): Promise<RunningWorkers>;
  /** Stores reminders as `pending` rows, then enqueues their jobs (rows first, jobs second, as the app does). */
  scheduleReminders(options: ScheduleRemindersOptions): Promise<StoredReminder[]>;
  /** Waits until the provider accepted `messages` messages, then until every row settled and the queue is empty. */
  waitUntilSettled(options: WaitUntilSettledOptions): Promise<void>;
}

/** A migrated database of `kind`, with the URL of a PostgreSQL one; `close()` drops it. */
async function openWorldDatabase(kind: TestDatabaseKind): Promise<{ database: Database; url: string | undefined }> {
  if (kind === 'pglite') return { database: await openTestDatabase('pglite'), url: undefined };
  const server = await createTestPostgres();
  const database = await openDatabase({ kind: 'postgres', url: server.url, maxConnections: 20 });
  await migrateDatabase(database);
  return {
    url: server.url,
    database: {
      ...database,
      async close() {
        await database.close();
        await server.drop();
      },
    },
  };
}

function twilioSenderOn(fake: FakeTwilio) {
  return (options: TwilioSenderOptions = {}) =>
    new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: '+15005550006',
      apiBaseUrl: fake.url,
      timeoutMs: options.timeoutMs ?? FAULT_TEST_TWILIO_TIMEOUT_MS,
    });
}

/** Starts a {@link ProviderWorld}: the fake Twilio alone. */
async function startProviderWorld(fakeOptions: FakeTwilioOptions = {}): Promise<ProviderWorld> {
  const fake = await startFakeTwilio({ seed: 7, ...fakeOptions });
  return { fake, twilioSender: twilioSenderOn(fake), close: () => fake.close() };
}

/** Starts a {@link SmsWorld} on PostgreSQL (a throwaway database) or PGlite. */
async function startSmsWorld(kind: TestDatabaseKind, fakeOptions: FakeTwilioOptions = {}): Promise<SmsWorld> {
  const [redis, { database, url: databaseUrl }, fake] = await Promise.all([
    startRedis(),
    openWorldDatabase(kind),
    startFakeTwilio({ seed: 7, ...fakeOptions }),
  ]);
  const producer = new Redis(redis.url, { maxRetriesPerRequest: null });
  const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: producer });
  // Fault tests take Redis away on purpose; the producer reconnects on its own.
  smsQueue.on('error', () => {});
  producer.on('error', () => {});
  const logs: SmsWorld['logs'] = [];
  const running: RunningWorkers[] = [];
  const twilioSender = twilioSenderOn(fake);
  const twilio = {
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: '+15005550006',
    apiBaseUrl: fake.url,
    timeoutMs: FAULT_TEST_TWILIO_TIMEOUT_MS,
  };
  const log = (level: string) => (fields: Record<string, unknown>, message: string) => {
    logs.push({ level, message, fields });
  };
  return {
    redis,
    database,
    databaseUrl,
    fake,
    twilioSender,
    smsQueue,
    logs,
    workerProcessConfig(workerId, sms = FAULT_TEST_SMS_OPTIONS) {
      if (!databaseUrl) throw new Error('A worker process needs the PostgreSQL world');
      return { workerId, redisUrl: redis.url, databaseUrl, twilio, sms };
    },
    async startWorkers(sms = FAULT_TEST_SMS_OPTIONS) {
      const workers = await startWorkers({
        redisUrl: redis.url,
        workerId: `test-${running.length + 1}`,
        logger: { info: log('info'), warn: log('warn'), error: log('error') },
        db: database.db,
        smsSender: twilioSender(),
        smsProvider: 'twilio',
        sms,
      });
      running.push(workers);
      return workers;
    },
    async scheduleReminders({ firstDueInMs, ...options }) {
      const now = new Date();
      const reminders = await storeReminders(database.db, {
        ...options,
        firstDueAt: new Date(now.getTime() + firstDueInMs),
      });
      await enqueueSmsBatch(smsQueue, reminders, { now });
      return reminders;
    },
    async waitUntilSettled({ messages, timeoutMs = 120_000, idleTimeoutMs = 60_000 }) {
      await fake.waitForMessages(messages, { timeoutMs });
      await waitUntil(() => isSmsPipelineIdle(database.db, smsQueue), {
        timeoutMs: idleTimeoutMs,
        what: 'every message settled and the queue empty',
        describe: async () => JSON.stringify(await countSmsByStatus(database.db)),
      });
    },
    async close() {
      for (const workers of running) await workers.close();
      await smsQueue.close();
      producer.disconnect();
      await fake.close();
      await database.close();
      await redis.stop();
    },
  };
}

/** What kind of world {@link useSmsWorld} starts: the whole pipeline on a database of that kind, or the provider alone. */
export type SmsWorldKind = TestDatabaseKind | 'provider';

/** A world started before the tests of the enclosing `describe` and closed after them. */
export interface SmsWorldFixture<W> {
  /** The running world. @throws Error when read outside the `describe`'s tests. */
  readonly world: W;
}

/**
 * The fault tests' one world fixture: starts a world before the tests of the enclosing `describe` (or file) and
 * closes it after them. `postgres` or `pglite`: real Redis, a throwaway database, a fake Twilio, workers on demand
 * ({@link SmsWorld}); `provider`: the fake Twilio alone ({@link ProviderWorld}). `fakeOptions` seed the fake (default
 * seed 7). A test's own `afterAll` runs before the world closes.
 * @example
 * const fixture = useSmsWorld('postgres');
 * it('…', async () => { const { fake, database } = fixture.world; … });
 */
export function useSmsWorld(kind: 'provider', fakeOptions?: FakeTwilioOptions): SmsWorldFixture<ProviderWorld>;
export function useSmsWorld(kind: TestDatabaseKind, fakeOptions?: FakeTwilioOptions): SmsWorldFixture<SmsWorld>;
export function useSmsWorld(
  kind: SmsWorldKind,
  fakeOptions: FakeTwilioOptions = {},
): SmsWorldFixture<ProviderWorld | SmsWorld> {
  let started: ProviderWorld | SmsWorld | undefined;
  beforeAll(async () => {
    started = kind === 'provider' ? await startProviderWorld(fakeOptions) : await startSmsWorld(kind, fakeOptions);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    get world() {
      if (!started) throw new Error(`The ${kind} world runs only inside the tests of the describe that uses it`);
      return started;
    },
  };
}

import path from 'node:path';
import { type Database, type Db, migrateDatabase, openDatabase, schema, selectRows } from '@affection/db';
import { QUEUE_NAMES, type RunningWorkers, type SmsWorkerOptions, startWorkers } from '@affection/jobs';
import { type RedisServer, type RunningProcess, spawnUntilReady, startRedis } from '@affection/runtime';
import { TwilioSmsSender } from '@affection/telephony';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
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

/** Real Redis, a database, a fake Twilio, and in-process workers to start: one fault test's world. */
export interface SmsWorld {
  redis: RedisServer;
  database: Database;
  /** The PostgreSQL database's URL (for worker processes); undefined on PGlite. */
  databaseUrl: string | undefined;
  fake: FakeTwilio;
  /** A producer on the `sms` queue. */
  smsQueue: Queue;
  /** Every log line of the in-process workers. */
  logs: { level: string; message: string; fields: Record<string, unknown> }[];
  /** Settings for a worker process on this world (see {@link spawnSmsWorker}). */
  workerProcessConfig(workerId: string, sms?: SmsWorkerOptions): SmsWorkerProcessConfig;
  /** Starts workers in this process (closed by `close()`). */
  startWorkers(sms?: SmsWorkerOptions): Promise<RunningWorkers>;
  close(): Promise<void>;
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

/** Starts a {@link SmsWorld} on PostgreSQL (a throwaway database) or PGlite. */
export async function startSmsWorld(kind: TestDatabaseKind, fakeOptions: FakeTwilioOptions = {}): Promise<SmsWorld> {
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
        smsSender: new TwilioSmsSender(twilio),
        smsProvider: 'twilio',
        sms,
      });
      running.push(workers);
      return workers;
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

import { ALIYUN_SEND_CAPS, ZH_CN_SMS_TEMPLATE_TEXTS } from '@affection/core';
import { type Database, insertOutgoingSms, migrateDatabase, openDatabase, selectRows } from '@affection/db';
import { enqueueSmsBatch, QUEUE_NAMES, type RunningWorkers, type SmsToEnqueue, startWorkers } from '@affection/jobs';
import { AliyunSmsSender } from '@affection/telephony';
import {
  countSmsByStatus,
  createFakeAliyunSms,
  createTestPostgres,
  FAULT_TEST_SMS_OPTIONS,
  type FakeAliyun,
  type FakeAliyunSms,
  isSmsPipelineIdle,
  type RedisServer,
  type RunningProcess,
  spawnSmsWorker,
  startFakeAliyun,
  startRedis,
  waitUntil,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SIGN = '青山小学';
const CODE = 'SMS_300001';
const NUMBERS = 150;
const PER_NUMBER = 4;
const COUNT = NUMBERS * PER_NUMBER;
const { statusCallbackUrl: _unused, ...SMS_OPTIONS } = FAULT_TEST_SMS_OPTIONS;

/** A seeded PRNG, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface AliyunWorld {
  database: Database;
  databaseUrl: string;
  redis: RedisServer;
  fake: FakeAliyun;
  sms: FakeAliyunSms;
  smsQueue: Queue;
  producer: Redis;
  running: RunningWorkers[];
}

/**
 * The SMS pipeline with SMS_PROVIDER=aliyun: PostgreSQL, a Redis of its own, the real SDK against the fake API
 * (signatures checked), the worker with Alibaba Cloud's per-number caps.
 */
describe('the SMS pipeline through Alibaba Cloud SMS under faults (PostgreSQL, real Redis, the fake API)', () => {
  let world: AliyunWorld;

  beforeEach(async () => {
    const [server, redis] = await Promise.all([createTestPostgres(), startRedis()]);
    const opened = await openDatabase({ kind: 'postgres', url: server.url, maxConnections: 20 });
    await migrateDatabase(opened);
    const database: Database = {
      ...opened,
      async close() {
        await opened.close();
        await server.drop();
      },
    };
    const sms = createFakeAliyunSms({
      templates: { [CODE]: ZH_CN_SMS_TEMPLATE_TEXTS['reminder-15-min-phone'] },
      signNames: [SIGN],
      acceptedTimeoutMs: 2_500,
    });
    const fake = await startFakeAliyun({ handlers: sms.handlers });
    const producer = new Redis(redis.url, { maxRetriesPerRequest: null });
    producer.on('error', () => {});
    const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: producer });
    smsQueue.on('error', () => {});
    world = { database, databaseUrl: server.url, redis, fake, sms, smsQueue, producer, running: [] };
  });
  afterEach(async () => {
    for (const workers of world?.running ?? []) await workers.close();
    await world?.smsQueue.close();
    world?.producer.disconnect();
    await world?.fake.close();
    await world?.database.close();
    await world?.redis.stop();
  });

  /** Stores COUNT reminders (PER_NUMBER to each of NUMBERS mainland numbers) with their template, and enqueues them. */
  async function scheduleReminders(firstDueInMs: number): Promise<SmsToEnqueue[]> {
    const now = new Date();
    const stored: SmsToEnqueue[] = [];
    for (let i = 0; i < COUNT; i += 1) {
      const { message } = await insertOutgoingSms(world.database.db, {
        homeId: null,
        toPhone: `+86139${String(i % NUMBERS).padStart(8, '0')}`,
        body: `提醒 ${i}`,
        dedupeKey: `aliyun-fault-${i}`,
        template: 'reminder-15-min',
        templateParams: { key: 'reminder-15-min-phone', variables: { name: '小明', clock: '12:15' } },
        dueAt: new Date(now.getTime() + firstDueInMs + (i % 40) * 100),
        now,
      });
      stored.push({ id: message.id, dueAt: message.dueAt });
    }
    await enqueueSmsBatch(world.smsQueue, stored, { now });
    return stored;
  }

  /** The sender's options: the fake's endpoint and keys, short timeouts. */
  function senderOptions() {
    return {
      accessKeyId: world.fake.accessKeyId,
      accessKeySecret: world.fake.accessKeySecret,
      signName: SIGN,
      templateCodes: { 'reminder-15-min-phone': CODE },
      endpoint: world.fake.endpoint,
      protocol: 'http' as const,
      timeoutMs: 1_000,
      rateLimitRetryMs: 1_000,
    };
  }

  async function startAliyunWorkers(): Promise<void> {
    const sender = new AliyunSmsSender(senderOptions());
    const ignore = () => {};
    world.running.push(
      await startWorkers({
        redisUrl: world.redis.url,
        workerId: `aliyun-${world.running.length + 1}`,
        logger: { info: ignore, warn: ignore, error: ignore },
        db: world.database.db,
        smsSender: sender,
        smsProvider: 'aliyun',
        sms: { ...SMS_OPTIONS, sendCapsFor: () => ALIYUN_SEND_CAPS },
      }),
    );
  }

  async function waitUntilSettled(timeoutMs: number): Promise<void> {
    await waitUntil(
      async () => (await isSmsPipelineIdle(world.database.db, world.smsQueue)) && world.sms.messages.size >= COUNT,
      {
        timeoutMs,
        what: 'every message sent and the queue empty',
        describe: async () =>
          `${JSON.stringify(await countSmsByStatus(world.database.db))}, ${world.sms.messages.size} at the provider`,
      },
    );
  }

  /** Every stored message accepted by the provider exactly once, recorded sent with provider aliyun, no cap exceeded. */
  async function expectEachSentOnce(stored: readonly SmsToEnqueue[]): Promise<void> {
    const perOutId = world.sms.acceptedPerOutId();
    const twice = [...perOutId.values()].filter((n) => n > 1).length;
    expect(twice).toBe(0);
    expect(stored.every((m) => perOutId.get(m.id) === 1)).toBe(true);
    expect(await countSmsByStatus(world.database.db)).toEqual({ sent: COUNT });
    const perNumber = new Map<string, number>();
    for (const m of world.sms.messages.values()) perNumber.set(m.phone, (perNumber.get(m.phone) ?? 0) + 1);
    expect(Math.max(...perNumber.values())).toBeLessThanOrEqual(50);
    expect(world.fake.requests.every((r) => r.isSigned)).toBe(true);
  }

  it('delivers every reminder once through 5xx, throttling and timeouts after acceptance', {
    timeout: 240_000,
  }, async () => {
    const random = seeded(2026);
    let injected = { serverError: 0, throttled: 0, lateAccept: 0 };
    world.fake.handle('SendSms', (request) => {
      const r = random();
      if (r < 0.2) {
        injected = { ...injected, serverError: injected.serverError + 1 };
        world.sms.failNext(1, 'server-error');
      } else if (r < 0.3) {
        injected = { ...injected, throttled: injected.throttled + 1 };
        world.sms.failNext(1, 'throttled');
      } else if (r < 0.33) {
        injected = { ...injected, lateAccept: injected.lateAccept + 1 };
        world.sms.failNext(1, 'timeout-after-accept');
      }
      return world.sms.handlers.SendSms?.(request) ?? { status: 500, body: {} };
    });
    const stored = await scheduleReminders(1_000);
    await startAliyunWorkers();
    await waitUntilSettled(200_000);
    await expectEachSentOnce(stored);
    const lookups = world.fake.requests.filter((r) => r.action === 'QuerySendDetails').length;
    expect(injected.serverError).toBeGreaterThan(COUNT * 0.1);
    expect(injected.throttled).toBeGreaterThan(COUNT * 0.05);
    expect(injected.lateAccept).toBeGreaterThan(0);
    expect(lookups).toBeGreaterThan(0);
    console.log(
      `aliyun faults: ${COUNT} messages, ${world.sms.sendRequests.length} SendSms requests (${injected.serverError} 5xx, ${injected.throttled} throttled, ${injected.lateAccept} answered after the timeout), ${lookups} QuerySendDetails lookups, each accepted once`,
    );
  });

  it('delivers every reminder once across a Redis crash (SIGKILL, restart from its AOF)', {
    timeout: 240_000,
  }, async () => {
    const stored = await scheduleReminders(1_000);
    await startAliyunWorkers();
    await waitUntil(async () => world.sms.messages.size >= COUNT * 0.3, { timeoutMs: 60_000, what: '30% sent' });
    await world.redis.kill('SIGKILL');
    const atCrash = world.sms.messages.size;
    await world.redis.restart();
    await waitUntilSettled(200_000);
    expect(atCrash).toBeLessThan(COUNT);
    await expectEachSentOnce(stored);
    console.log(`aliyun redis crash: ${COUNT} messages, ${atCrash} sent before the crash, each accepted once`);
  });
  it('delivers every reminder once when a worker process is killed mid-batch (SIGKILL)', {
    timeout: 240_000,
  }, async () => {
    // Every answer takes 150 ms, so a killed worker always leaves sends in flight.
    world.fake.handle('SendSms', async (request) => {
      const answer = (await world.sms.handlers.SendSms?.(request)) ?? { status: 500, body: {} };
      return { ...answer, delayMs: 150 };
    });
    const stored = await scheduleReminders(1_500);
    let doomed: RunningProcess | undefined = await spawnSmsWorker({
      workerId: 'doomed',
      redisUrl: world.redis.url,
      databaseUrl: world.databaseUrl,
      // Unused: the process sends through Alibaba Cloud.
      twilio: {
        accountSid: `AC${'0'.repeat(32)}`,
        authToken: 'unused',
        from: '+15005550006',
        apiBaseUrl: 'http://127.0.0.1:9',
        timeoutMs: 1_000,
      },
      aliyun: senderOptions(),
      sms: SMS_OPTIONS,
    });
    try {
      await startAliyunWorkers();
      await waitUntil(async () => world.sms.messages.size >= COUNT * 0.3, { timeoutMs: 60_000, what: '30% sent' });
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      doomed = undefined;
      const atKill = world.sms.messages.size;
      await waitUntilSettled(200_000);
      await expectEachSentOnce(stored);
      const [takenOver] = await selectRows<{ n: number }>(
        world.database.db,
        sql`select count(*)::int as n from sms_messages where attempts > 1`,
      );
      const lookups = world.fake.requests.filter((r) => r.action === 'QuerySendDetails').length;
      console.log(
        `aliyun worker crash: ${COUNT} messages, ${atKill} sent when the worker was killed, ${takenOver?.n} taken over, ${lookups} QuerySendDetails lookups, each accepted once`,
      );
    } finally {
      doomed?.child.kill('SIGKILL');
    }
  });
});

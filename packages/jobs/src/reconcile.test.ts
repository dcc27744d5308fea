import { claimSmsForSending, insertOutgoingSms, markSmsSendAmbiguous, releaseSmsForRetry } from '@affection/db';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSms } from './reconcile.ts';

describe('reconcileSms (PGlite, real Redis)', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let connection: Redis;
  let queue: Queue;
  const now = new Date('2026-11-18T04:00:00Z');

  beforeAll(async () => {
    [redis, database] = await Promise.all([startRedis(), openTestDatabase('pglite')]);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue(`sms-reconcile-${Date.now()}`, { connection });
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    connection?.disconnect();
    await redis?.stop();
    await database?.close();
  });

  async function store(key: string, dueAt: Date) {
    const { message } = await insertOutgoingSms(database.db, {
      homeId: null,
      toPhone: '+8613800138000',
      body: `提醒 ${key}`,
      dedupeKey: key,
      dueAt,
      now,
    });
    return message;
  }

  it('gives a job to what is due soon or stuck, once, and leaves the rest', async () => {
    const overdue = await store('overdue', new Date(now.getTime() - 60_000));
    const soon = await store('soon', new Date(now.getTime() + 30_000));
    const later = await store('later', new Date(now.getTime() + 10 * 60_000));
    const failedOnce = await store('failed-once', new Date(now.getTime() - 5_000));
    await claimSmsForSending(database.db, failedOnce.id, { now, earlyMs: 0 });
    await releaseSmsForRetry(database.db, failedOnce.id, {
      errorCode: 'provider-error',
      errorMessage: 'Twilio 20503 (HTTP 503)',
      now,
      seenAttempts: 1,
    });
    const ambiguous = await store('ambiguous', new Date(now.getTime() - 5_000));
    await claimSmsForSending(database.db, ambiguous.id, { now: new Date(now.getTime() - 20_000), earlyMs: 60_000 });
    await markSmsSendAmbiguous(database.db, ambiguous.id, {
      errorMessage: 'timed out',
      now: new Date(now.getTime() - 10_000),
      seenAttempts: 1,
    });
    const inFlight = await store('in-flight', new Date(now.getTime() - 5_000));
    await claimSmsForSending(database.db, inFlight.id, { now: new Date(now.getTime() - 1_000), earlyMs: 0 });

    const options = {
      db: database.db,
      smsQueue: queue,
      now: () => now,
      horizonMs: 120_000,
      retryDelayMs: 60_000,
      ambiguousSettleMs: 5_000,
    };
    expect(await reconcileSms(options)).toEqual({ pending: 3, stuck: 1 });
    const delayOf = async (id: string) => (await queue.getJob(id))?.opts.delay;
    expect(await delayOf(overdue.id)).toBe(0);
    expect(await delayOf(soon.id)).toBe(30_000);
    // Its retries ran out: the reconciler waits the longest backoff after the last attempt.
    expect(await delayOf(failedOnce.id)).toBe(60_000);
    expect(await delayOf(ambiguous.id)).toBe(0);
    expect(await queue.getJob(later.id)).toBeUndefined();
    expect(await queue.getJob(inFlight.id)).toBeUndefined();

    // Again: the same job ids, so nothing new; with the Redis connection, existing jobs are not even re-added.
    expect(await reconcileSms(options)).toEqual({ pending: 3, stuck: 1 });
    expect(await reconcileSms({ ...options, redis: connection })).toEqual({ pending: 3, stuck: 1 });
    expect(await queue.getJobCounts('delayed', 'waiting')).toEqual({ delayed: 2, waiting: 2 });
    await queue.remove(soon.id);
    expect(await reconcileSms({ ...options, redis: connection })).toEqual({ pending: 3, stuck: 1 });
    expect(await delayOf(soon.id)).toBe(30_000);
  });
});

import { enqueueSmsBatch } from '@affection/jobs';
import {
  acceptedPerDedupeKey,
  acceptedPerIdempotencyKey,
  countSmsByStatus,
  describeDuplicates,
  isSmsPipelineIdle,
  type SmsWorld,
  startSmsWorld,
  storeReminders,
  waitUntil,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COUNT = 2_000;

describe('reminders survive a Redis crash (SIGKILL, restart from its AOF), on PostgreSQL', () => {
  let world: SmsWorld;
  beforeAll(async () => {
    world = await startSmsWorld('postgres');
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`delivers each of ${COUNT} reminders exactly once`, { timeout: 180_000 }, async () => {
    const { fake, database, smsQueue, redis } = world;
    const now = new Date();
    const reminders = await storeReminders(database.db, {
      count: COUNT,
      firstDueAt: new Date(now.getTime() + 1_000),
      spreadMs: 5_000,
      seed: 11,
    });
    await enqueueSmsBatch(smsQueue, reminders, { now });
    await world.startWorkers();

    await fake.waitForMessages(COUNT * 0.3);
    await redis.kill('SIGKILL');
    const deliveredAtCrash = fake.messages.size;
    await redis.restart();
    const afterRestart = await smsQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    const jobsReloaded = Object.values(afterRestart).reduce((a, b) => a + b, 0);

    await fake.waitForMessages(COUNT, { timeoutMs: 120_000 });
    await waitUntil(() => isSmsPipelineIdle(database.db, smsQueue), {
      timeoutMs: 60_000,
      what: 'every message settled and the queue empty',
      describe: async () => JSON.stringify(await countSmsByStatus(database.db)),
    });

    expect(deliveredAtCrash).toBeLessThan(COUNT);
    // The AOF brought the jobs back (the reconciler may also have re-enqueued some by now).
    expect(jobsReloaded).toBeGreaterThan(0);
    const perKey = acceptedPerDedupeKey(fake);
    expect(perKey.size).toBe(COUNT);
    expect(
      [...perKey.values()].every((n) => n === 1),
      describeDuplicates(fake),
    ).toBe(true);
    const perId = acceptedPerIdempotencyKey(fake);
    expect([...perId.keys()].sort()).toEqual(reminders.map((r) => r.id).sort());
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expect(await countSmsByStatus(database.db)).toEqual({ sent: COUNT });
    console.log(
      `redis crash: ${COUNT} scheduled, ${deliveredAtCrash} delivered before the crash, ${jobsReloaded} jobs reloaded from the AOF, ${fake.messages.size} delivered in all, ${[...perKey.values()].filter((n) => n > 1).length} twice`,
    );
  });
});

import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
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

describe('reminders survive Redis coming back EMPTY (the database is the truth), on PostgreSQL', () => {
  let world: SmsWorld;
  beforeAll(async () => {
    world = await startSmsWorld('postgres');
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`the reconciler delivers each of ${COUNT} reminders exactly once`, { timeout: 180_000 }, async () => {
    const { fake, database, smsQueue, redis } = world;
    const now = new Date();
    const reminders = await storeReminders(database.db, {
      count: COUNT,
      firstDueAt: new Date(now.getTime() + 1_000),
      spreadMs: 5_000,
      seed: 12,
    });
    await enqueueSmsBatch(smsQueue, reminders, { now });
    await world.startWorkers();

    await fake.waitForMessages(COUNT * 0.3);
    await redis.kill('SIGKILL');
    const deliveredAtCrash = fake.messages.size;
    // Lose everything Redis had: its AOF folder goes, and it starts empty on the same port.
    for (const entry of await readdir(redis.dataDir)) {
      await rm(path.join(redis.dataDir, entry), { recursive: true, force: true });
    }
    expect(await readdir(redis.dataDir)).toEqual([]);
    await redis.restart();

    await fake.waitForMessages(COUNT, { timeoutMs: 120_000 });
    await waitUntil(() => isSmsPipelineIdle(database.db, smsQueue), {
      timeoutMs: 60_000,
      what: 'every message settled and the queue empty',
      describe: async () => JSON.stringify(await countSmsByStatus(database.db)),
    });

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
    const reconciled = world.logs.find((l) => l.message === 'sms reconciled' && Number(l.fields.pending) > 0);
    expect(reconciled).toBeDefined();
    console.log(
      `redis empty: ${COUNT} scheduled, ${deliveredAtCrash} delivered before the crash, Redis restarted empty, the reconciler re-enqueued ${String(reconciled?.fields.pending)}, ${fake.messages.size} delivered in all, ${[...perKey.values()].filter((n) => n > 1).length} twice`,
    );
  });
});

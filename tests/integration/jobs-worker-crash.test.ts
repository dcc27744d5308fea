import { selectRows } from '@affection/db';
import { enqueueSmsBatch, QUEUE_NAMES } from '@affection/jobs';
import type { RunningProcess } from '@affection/test-support';
import {
  acceptedPerDedupeKey,
  acceptedPerIdempotencyKey,
  countSmsByStatus,
  describeDuplicates,
  isSmsPipelineIdle,
  type SmsWorld,
  spawnSmsWorker,
  startSmsWorld,
  storeReminders,
  waitUntil,
} from '@affection/test-support';
import { QueueEvents } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COUNT = 2_000;

describe('a worker process killed mid-batch (SIGKILL), on PostgreSQL', () => {
  let world: SmsWorld;
  let doomed: RunningProcess | undefined;
  let events: QueueEvents | undefined;
  beforeAll(async () => {
    world = await startSmsWorld('postgres');
  });
  afterAll(async () => {
    doomed?.child.kill('SIGKILL');
    await events?.close();
    await world?.close();
  });

  it('its stalled jobs are taken over by another worker: none lost, none sent twice', {
    timeout: 180_000,
  }, async () => {
    const { fake, database, smsQueue, redis } = world;
    // Every answer takes 150 ms, so a killed worker always leaves sends in flight.
    fake.delayNext(1_000_000, 150);
    events = new QueueEvents(QUEUE_NAMES.sms, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    const stalled = new Set<string>();
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    await events.waitUntilReady();

    const now = new Date();
    const reminders = await storeReminders(database.db, {
      count: COUNT,
      firstDueAt: new Date(now.getTime() + 1_500),
      spreadMs: 3_000,
      seed: 13,
    });
    await enqueueSmsBatch(smsQueue, reminders, { now });
    doomed = await spawnSmsWorker(world.workerProcessConfig('doomed'));
    await world.startWorkers();

    await fake.waitForMessages(COUNT * 0.3);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const deliveredAtKill = fake.messages.size;
    const inFlightAtKill = (await countSmsByStatus(database.db)).sending ?? 0;

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

    // The killed worker's jobs stalled and were run again; its claimed messages were checked with
    // the provider (the list API) before anything was sent again.
    expect(stalled.size).toBeGreaterThan(0);
    const [takenOver] = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from sms_messages where attempts > 1`,
    );
    const listRequests = fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/Messages.json?')).length;
    expect(takenOver?.n).toBeGreaterThan(0);
    expect(listRequests).toBeGreaterThan(0);
    console.log(
      `worker crash: ${COUNT} scheduled, ${deliveredAtKill} delivered when the worker was killed with ${inFlightAtKill} messages in flight, ${stalled.size} stalled jobs taken over, ${takenOver?.n} messages checked with the provider (${listRequests} list requests), ${fake.messages.size} delivered in all, ${[...perKey.values()].filter((n) => n > 1).length} twice`,
    );
  });
});

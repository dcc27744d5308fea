import { selectRows } from '@affection/db';
import { QUEUE_NAMES } from '@affection/jobs';
import type { RunningProcess } from '@affection/test-support';
import { countSmsByStatus, expectDeliveredExactlyOnce, spawnSmsWorker, useSmsWorld } from '@affection/test-support';
import { QueueEvents } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const COUNT = 2_000;

describe('a worker process killed mid-batch (SIGKILL), on PostgreSQL', () => {
  const fixture = useSmsWorld('postgres');
  let doomed: RunningProcess | undefined;
  let events: QueueEvents | undefined;
  // Runs before the world closes (hooks unwind in reverse).
  afterAll(async () => {
    doomed?.child.kill('SIGKILL');
    await events?.close();
  });

  it('its stalled jobs are taken over by another worker: none lost, none sent twice', {
    timeout: 180_000,
  }, async () => {
    const { world } = fixture;
    const { fake, database, redis } = world;
    // Every answer takes 150 ms, so a killed worker always leaves sends in flight.
    fake.delayNext(1_000_000, 150);
    events = new QueueEvents(QUEUE_NAMES.sms, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    const stalled = new Set<string>();
    events.on('stalled', ({ jobId }) => stalled.add(jobId));
    await events.waitUntilReady();

    const reminders = await world.scheduleReminders({ count: COUNT, firstDueInMs: 1_500, spreadMs: 3_000, seed: 13 });
    doomed = await spawnSmsWorker(world.workerProcessConfig('doomed'));
    await world.startWorkers();

    await fake.waitForMessages(COUNT * 0.3);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const deliveredAtKill = fake.messages.size;
    const inFlightAtKill = (await countSmsByStatus(database.db)).sending ?? 0;

    await world.waitUntilSettled({ messages: COUNT });

    const { accepted, twice } = await expectDeliveredExactlyOnce(world, { delivered: reminders });

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
      `worker crash: ${COUNT} scheduled, ${deliveredAtKill} delivered when the worker was killed with ${inFlightAtKill} messages in flight, ${stalled.size} stalled jobs taken over, ${takenOver?.n} messages checked with the provider (${listRequests} list requests), ${accepted} delivered in all, ${twice} twice`,
    );
  });
});

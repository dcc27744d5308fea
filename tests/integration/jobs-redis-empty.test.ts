import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { expectDeliveredExactlyOnce, useSmsWorld } from '@affection/test-support';
import { describe, expect, it } from 'vitest';

const COUNT = 2_000;

describe('reminders survive Redis coming back EMPTY (the database is the truth), on PostgreSQL', () => {
  const fixture = useSmsWorld('postgres');

  it(`the reconciler delivers each of ${COUNT} reminders exactly once`, { timeout: 180_000 }, async () => {
    const { world } = fixture;
    const { fake, redis } = world;
    const reminders = await world.scheduleReminders({ count: COUNT, firstDueInMs: 1_000, spreadMs: 5_000, seed: 12 });
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

    await world.waitUntilSettled({ messages: COUNT });

    const { accepted, twice } = await expectDeliveredExactlyOnce(world, { delivered: reminders });
    const reconciled = world.logs.find((l) => l.message === 'sms reconciled' && Number(l.fields.pending) > 0);
    expect(reconciled).toBeDefined();
    console.log(
      `redis empty: ${COUNT} scheduled, ${deliveredAtCrash} delivered before the crash, Redis restarted empty, the reconciler re-enqueued ${String(reconciled?.fields.pending)}, ${accepted} delivered in all, ${twice} twice`,
    );
  });
});

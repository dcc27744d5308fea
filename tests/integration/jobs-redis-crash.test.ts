import { expectDeliveredExactlyOnce, useSmsWorld } from '@affection/test-support';
import { describe, expect, it } from 'vitest';

const COUNT = 2_000;

describe('reminders survive a Redis crash (SIGKILL, restart from its AOF), on PostgreSQL', () => {
  const fixture = useSmsWorld('postgres');

  it(`delivers each of ${COUNT} reminders exactly once`, { timeout: 180_000 }, async () => {
    const { world } = fixture;
    const { fake, smsQueue, redis } = world;
    const reminders = await world.scheduleReminders({ count: COUNT, firstDueInMs: 1_000, spreadMs: 5_000, seed: 11 });
    await world.startWorkers();

    await fake.waitForMessages(COUNT * 0.3);
    await redis.kill('SIGKILL');
    const deliveredAtCrash = fake.messages.size;
    await redis.restart();
    const afterRestart = await smsQueue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    const jobsReloaded = Object.values(afterRestart).reduce((a, b) => a + b, 0);

    await world.waitUntilSettled({ messages: COUNT });

    expect(deliveredAtCrash).toBeLessThan(COUNT);
    // The AOF brought the jobs back (the reconciler may also have re-enqueued some by now).
    expect(jobsReloaded).toBeGreaterThan(0);
    const { accepted, twice } = await expectDeliveredExactlyOnce(world, { delivered: reminders });
    console.log(
      `redis crash: ${COUNT} scheduled, ${deliveredAtCrash} delivered before the crash, ${jobsReloaded} jobs reloaded from the AOF, ${accepted} delivered in all, ${twice} twice`,
    );
  });
});

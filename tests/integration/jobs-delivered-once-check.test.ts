import { expectDeliveredExactlyOnce, FAULT_TEST_SMS_OPTIONS, useSmsWorld } from '@affection/test-support';
import { describe, expect, it } from 'vitest';

// The fault tests' verdict must be able to fail: each way a delivery can go wrong is shown to it on a real run.
describe('the "delivered exactly once" check of the fault tests (PGlite)', () => {
  const fixture = useSmsWorld('pglite');

  it('passes a clean run and fails on a missing, an extra, a forbidden or a repeated message', async () => {
    const { world } = fixture;
    await world.startWorkers();
    const reminders = await world.scheduleReminders({ count: 6, firstDueInMs: 200, spreadMs: 300, seed: 21 });
    await world.waitUntilSettled({ messages: reminders.length, timeoutMs: 30_000, idleTimeoutMs: 30_000 });
    const [first, ...rest] = reminders;
    if (!first) throw new Error('no reminder stored');

    await expect(expectDeliveredExactlyOnce(world, { delivered: reminders })).resolves.toEqual({
      accepted: reminders.length,
      twice: 0,
    });
    // The provider accepted one more than expected (a message that should not have gone out).
    await expect(expectDeliveredExactlyOnce(world, { delivered: rest })).rejects.toThrow(/other messages/);
    // One expected was never accepted.
    await expect(
      expectDeliveredExactlyOnce(world, { delivered: [...reminders, { ...first, id: 'sms_x', dedupeKey: 'x' }] }),
    ).rejects.toThrow(/other messages/);
    await expect(expectDeliveredExactlyOnce(world, { delivered: reminders, notDelivered: [first] })).rejects.toThrow(
      /must not go out/,
    );
    await expect(
      expectDeliveredExactlyOnce(world, { delivered: reminders, statuses: { sent: reminders.length, cancelled: 1 } }),
    ).rejects.toThrow(/by status/);

    // The same row sent again: the failure names the key and every request about its number.
    const again = await world.twilioSender().send({
      to: first.toPhone,
      body: first.body,
      idempotencyKey: first.id,
      statusCallbackUrl: FAULT_TEST_SMS_OPTIONS.statusCallbackUrl,
    });
    expect(again.ok).toBe(true);
    await expect(expectDeliveredExactlyOnce(world, { delivered: reminders })).rejects.toThrow(
      new RegExp(`more than once:\\n${first.dedupeKey}: .*POST.*POST`),
    );
  });
});

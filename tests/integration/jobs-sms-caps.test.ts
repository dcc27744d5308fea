import type { SendCapTable } from '@affection/core';
import { schema } from '@affection/db';
import { enqueueSmsBatch } from '@affection/jobs';
import {
  type RunningProcess,
  reminderBody,
  type StoredReminder,
  spawnSmsWorker,
  useSmsWorld,
} from '@affection/test-support';
import { inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';

/** Alibaba Cloud's shape of limit, compressed to seconds: 1 a second and 3 in 4 s per template and number. */
const TEST_CAPS: SendCapTable = {
  'sms-notification': {
    scope: 'number-and-template',
    windows: [
      { windowMs: 1_000, limit: 1 },
      { windowMs: 4_000, limit: 3 },
    ],
  },
};
const BUSY_NUMBER = '+8613900009999';
const BURST = 8;
const OTHERS = 12;

/** The largest number of sends falling in any window `[t, t + windowMs)`, t one of the sends. */
function fullestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let fullest = 0;
  for (const start of sorted)
    fullest = Math.max(fullest, sorted.filter((t) => t >= start && t < start + windowMs).length);
  return fullest;
}

describe('per-number caps across two worker processes (PostgreSQL, the fake provider)', () => {
  const fixture = useSmsWorld('postgres');
  const workers: RunningProcess[] = [];
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('spreads a burst to one number over time, none past a cap, none sent twice; other numbers go at once', {
    timeout: 120_000,
  }, async () => {
    const { world } = fixture;
    const { fake, database } = world;
    for (const id of ['caps-a', 'caps-b']) {
      workers.push(await spawnSmsWorker({ ...world.workerProcessConfig(id), sendCaps: TEST_CAPS }));
    }
    const now = new Date();
    const dueAt = new Date(now.getTime() + 500);
    const message = (i: number, toPhone: string): StoredReminder => {
      const dedupeKey = `bkg_caps${String(i).padStart(3, '0')}-reminder-15m-v1`;
      return {
        id: `sms_caps${String(i).padStart(3, '0')}`,
        dedupeKey,
        toPhone,
        body: reminderBody(dedupeKey, '12:15'),
        dueAt,
      };
    };
    const burst = Array.from({ length: BURST }, (_, i) => message(i, BUSY_NUMBER));
    const others = Array.from({ length: OTHERS }, (_, i) => message(100 + i, `+86139000${String(i).padStart(5, '0')}`));
    const all = [...burst, ...others];
    await database.db.insert(schema.smsMessages).values(
      all.map((r) => ({
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
    await enqueueSmsBatch(world.smsQueue, all, { now });
    await world.waitUntilSettled({ messages: all.length, timeoutMs: 60_000 });

    const accepted = fake.requests.filter((r) => r.method === 'POST' && r.responseStatus === 201);
    expect(accepted).toHaveLength(all.length);
    expect(new Set(accepted.map((r) => r.form.Body)).size).toBe(all.length);
    const toBusy = accepted.filter((r) => r.form.To === BUSY_NUMBER).map((r) => r.receivedAt);
    expect(toBusy).toHaveLength(BURST);
    // As the provider counts them: by when they reached it.
    expect(fullestWindow(toBusy, 1_000)).toBe(1);
    expect(fullestWindow(toBusy, 4_000)).toBeLessThanOrEqual(3);
    // 8 sends at 1 a second and 3 in 4 s cannot take less than 9 s (0, 1, 2, 4, 5, 6, 8, 9); the clock margin and a
    // send in flight counted at the latest it may arrive space them further.
    expect(Math.max(...toBusy) - Math.min(...toBusy)).toBeGreaterThanOrEqual(9_000);
    // The other numbers were not held back by the busy one.
    const toOthers = accepted.filter((r) => r.form.To !== BUSY_NUMBER).map((r) => r.receivedAt);
    expect(Math.max(...toOthers) - dueAt.getTime()).toBeLessThan(5_000);

    const rows = await database.db
      .select()
      .from(schema.smsMessages)
      .where(
        inArray(
          schema.smsMessages.id,
          all.map((r) => r.id),
        ),
      );
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    // The held-back rows had their due time moved to when they could go.
    expect(rows.filter((row) => row.toPhone === BUSY_NUMBER && row.dueAt.getTime() > dueAt.getTime())).toHaveLength(
      BURST - 1,
    );
  });
});

import { cancelPendingSms } from '@affection/db';
import { cancelSms, enqueueSmsBatch } from '@affection/jobs';
import type { TestDatabaseKind } from '@affection/test-support';
import {
  acceptedPerDedupeKey,
  acceptedPerIdempotencyKey,
  countSmsByStatus,
  describeDuplicates,
  isSmsPipelineIdle,
  type SmsWorld,
  type StoredReminder,
  startSmsWorld,
  storeReminders,
  waitUntil,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BOOKINGS = 400;

describe.each<TestDatabaseKind>(['postgres', 'pglite'])(
  'cancel and reschedule inside the reminder window (%s)',
  (kind) => {
    let world: SmsWorld;
    beforeAll(async () => {
      world = await startSmsWorld(kind);
    });
    afterAll(async () => {
      await world?.close();
    });

    it('never sends a reminder for a cancelled or moved booking; sends the new time once', {
      timeout: 120_000,
    }, async () => {
      const { fake, database, smsQueue } = world;
      await world.startWorkers();
      const now = new Date();
      // Version 1 of every booking's 15-minute reminder, due 8–10 s from now: room for the changes
      // below even on a busy machine.
      const v1 = await storeReminders(database.db, {
        count: BOOKINGS,
        firstDueAt: new Date(now.getTime() + 8_000),
        spreadMs: 2_000,
        seed: 15,
      });
      await enqueueSmsBatch(smsQueue, v1, { now });

      // Inside the window (after enqueueing, before the due time):
      // - a quarter of the bookings are cancelled: row cancelled, job removed;
      // - a quarter are cancelled in the database only, their jobs left to fire (a lost removal);
      // - a quarter are moved to 12:45: the old reminder cancelled, a new version stored and enqueued;
      // - a quarter keep their time.
      // A cancel that comes after the sender claimed the message is refused (`not-pending`): that
      // reminder goes out once, and is counted apart.
      const byQuarter = (q: number) => v1.filter((_, i) => i % 4 === q);
      const cancelled: StoredReminder[] = [];
      const tooLate: StoredReminder[] = [];
      for (const reminder of byQuarter(0)) {
        const result = await cancelSms(database.db, smsQueue, reminder.id, new Date());
        (result.ok ? cancelled : tooLate).push(reminder);
      }
      for (const reminder of byQuarter(1)) {
        const isCancelled = (await cancelPendingSms(database.db, reminder.id, new Date())) !== null;
        (isCancelled ? cancelled : tooLate).push(reminder);
      }
      const moved: StoredReminder[] = [];
      for (const reminder of byQuarter(2)) {
        const result = await cancelSms(database.db, smsQueue, reminder.id, new Date());
        (result.ok ? moved : tooLate).push(reminder);
      }
      const movedAt = new Date();
      const v2 = await storeReminders(database.db, {
        count: BOOKINGS,
        only: (booking) => booking % 4 === 2,
        firstDueAt: new Date(movedAt.getTime() + 2_500),
        spreadMs: 1_000,
        seed: 16,
        version: 2,
        slotTime: '12:45',
      });
      await enqueueSmsBatch(smsQueue, v2, { now: movedAt });
      // Most changes land inside the window; on an idle machine all of them do.
      expect(cancelled.length + moved.length).toBeGreaterThan(BOOKINGS * 0.5);

      const expected = [...byQuarter(3), ...tooLate, ...v2];
      await fake.waitForMessages(expected.length, { timeoutMs: 60_000 });
      // Every job has run, including those of the rows cancelled in the database only.
      await waitUntil(() => isSmsPipelineIdle(database.db, smsQueue), {
        timeoutMs: 60_000,
        what: 'every message settled and the queue empty',
        describe: async () => JSON.stringify(await countSmsByStatus(database.db)),
      });

      const perKey = acceptedPerDedupeKey(fake);
      expect([...perKey.keys()].sort()).toEqual(expected.map((r) => r.dedupeKey).sort());
      expect(
        [...perKey.values()].every((n) => n === 1),
        describeDuplicates(fake),
      ).toBe(true);
      const perId = acceptedPerIdempotencyKey(fake);
      for (const gone of [...cancelled, ...moved]) expect(perId.has(gone.id)).toBe(false);
      const newTimes = [...fake.messages.values()].filter((m) => m.body.includes('12:45'));
      expect(newTimes).toHaveLength(v2.length);
      expect(await countSmsByStatus(database.db)).toEqual({
        sent: expected.length,
        cancelled: cancelled.length + moved.length,
      });
      console.log(
        `cancel/reschedule (${kind}): ${BOOKINGS} reminders; ${cancelled.length} cancelled in the window (half of them with their job left to fire), ${moved.length} moved to a new time, ${tooLate.length} changes too late (already claimed); ${fake.messages.size} sent (${BOOKINGS / 4} kept + ${tooLate.length} too late + ${v2.length} new times), ${[...perKey.values()].filter((n) => n > 1).length} twice, 0 for a cancelled time`,
      );
    });
  },
);

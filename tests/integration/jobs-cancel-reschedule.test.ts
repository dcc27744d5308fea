import { cancelPendingSms } from '@affection/db';
import { cancelSms } from '@affection/jobs';
import type { TestDatabaseKind } from '@affection/test-support';
import { expectDeliveredExactlyOnce, type StoredReminder, useSmsWorld } from '@affection/test-support';
import { describe, expect, it } from 'vitest';

const BOOKINGS = 400;

describe.each<TestDatabaseKind>(['postgres', 'pglite'])(
  'cancel and reschedule inside the reminder window (%s)',
  (kind) => {
    const fixture = useSmsWorld(kind);

    it('never sends a reminder for a cancelled or moved booking; sends the new time once', {
      timeout: 120_000,
    }, async () => {
      const { world } = fixture;
      const { fake, database, smsQueue } = world;
      await world.startWorkers();
      // Version 1 of every booking's 15-minute reminder, due 8–10 s from now: room for the changes
      // below even on a busy machine.
      const v1 = await world.scheduleReminders({ count: BOOKINGS, firstDueInMs: 8_000, spreadMs: 2_000, seed: 15 });

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
      const v2 = await world.scheduleReminders({
        count: BOOKINGS,
        only: (booking) => booking % 4 === 2,
        firstDueInMs: 2_500,
        spreadMs: 1_000,
        seed: 16,
        version: 2,
        slotTime: '12:45',
      });
      // Most changes land inside the window; on an idle machine all of them do.
      expect(cancelled.length + moved.length).toBeGreaterThan(BOOKINGS * 0.5);

      const expected = [...byQuarter(3), ...tooLate, ...v2];
      // Every job has run, including those of the rows cancelled in the database only.
      await world.waitUntilSettled({ messages: expected.length, timeoutMs: 60_000 });

      const { accepted, twice } = await expectDeliveredExactlyOnce(world, {
        delivered: expected,
        notDelivered: [...cancelled, ...moved],
        statuses: { sent: expected.length, cancelled: cancelled.length + moved.length },
      });
      const newTimes = [...fake.messages.values()].filter((m) => m.body.includes('12:45'));
      expect(newTimes).toHaveLength(v2.length);
      console.log(
        `cancel/reschedule (${kind}): ${BOOKINGS} reminders; ${cancelled.length} cancelled in the window (half of them with their job left to fire), ${moved.length} moved to a new time, ${tooLate.length} changes too late (already claimed); ${accepted} sent (${BOOKINGS / 4} kept + ${tooLate.length} too late + ${v2.length} new times), ${twice} twice, 0 for a cancelled time`,
      );
    });
  },
);

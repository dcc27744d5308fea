import { randomUUID } from 'node:crypto';
import {
  cancelBooking,
  claimSmsForSending,
  findSmsByDedupeKey,
  listBookingSteps,
  listSmsOfBooking,
  recordSmsSent,
  rescheduleBooking,
} from '@affection/db';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueBookingPlan, planBooking } from './plan-booking.ts';
import { bookTestCall, seedTestFamily, seedTestHome, type TestHome } from './test-fixtures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('planBooking (PGlite, real Redis)', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let connection: Redis;
  let lifecycleQueue: Queue;
  let smsQueue: Queue;
  let home: TestHome;

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase('pglite'), startRedis()]);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    // Queue names of their own: the `lifecycle` and `sms` workers are not running here.
    lifecycleQueue = new Queue(`lifecycle-${randomUUID()}`, { connection });
    smsQueue = new Queue(`sms-${randomUUID()}`, { connection });
    home = await seedTestHome(database.db);
  });
  afterAll(async () => {
    await lifecycleQueue?.close();
    await smsQueue?.close();
    connection?.disconnect();
    await redis?.stop();
    await database?.close();
  });

  it('writes the steps and messages of a call 25 hours ahead once, and enqueues each at its time', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home);
    const start = new Date(now.getTime() + 25 * HOUR);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });

    const plan = await planBooking({ db, now }, booking.id);
    expect(plan).toMatchObject({ version: 1, status: 'confirmed', isNew: true, cancelledStepJobIds: [] });
    const steps = await listBookingSteps(db, booking.id);
    expect(steps.map((s) => [s.kind, s.dueAt.getTime() - start.getTime(), s.state, s.bookingVersion])).toEqual([
      ['confirm-sms', now.getTime() - start.getTime(), 'pending', 1],
      ['reminder-day-before', -24 * HOUR, 'pending', 1],
      ['reminder-15m', -15 * MIN, 'pending', 1],
      ['open-room', -5 * MIN, 'pending', 1],
      ['fallback-ring', 2 * MIN, 'pending', 1],
      ['voice-notify', 2 * MIN + 30_000, 'pending', 1],
      ['kiosk-wait-limit', 3 * MIN, 'pending', 1],
      ['warn-end', 14 * MIN, 'pending', 1],
      ['close-room', 15 * MIN + 30_000, 'pending', 1],
      ['decide-outcome', 16 * MIN, 'pending', 1],
    ]);
    const messages = await listSmsOfBooking(db, booking.id);
    expect(messages.map((m) => [m.dedupeKey, m.template, m.status])).toEqual([
      [`${booking.id}-confirm-sms-v1`, 'booking-confirmed', 'pending'],
      [`${booking.id}-reminder-day-before-v1`, 'reminder-day-before', 'pending'],
      [`${booking.id}-reminder-15m-v1`, 'reminder-15-min', 'pending'],
    ]);
    const reminder = await findSmsByDedupeKey(db, `${booking.id}-reminder-15m-v1`);
    expect(reminder).toMatchObject({ toPhone: family.phone, language: 'zh-CN', contactId: family.contactId });
    expect(reminder?.dueAt).toEqual(new Date(start.getTime() - 15 * MIN));
    // Once the call is over, a message about it is not sent any more.
    expect(reminder?.sendBefore).toEqual(booking.end);
    expect(reminder?.body.endsWith(`【${home.name}】`)).toBe(true);

    // A second plan finds it all there.
    const again = await planBooking({ db, now: new Date() }, booking.id);
    expect(again.isNew).toBe(false);
    expect(again.steps.map((s) => s.id)).toEqual(plan.steps.map((s) => s.id));
    // The first plan answered from the rows it wrote, the second reads them back: the same steps and messages.
    expect(plan.steps).toHaveLength(10);
    expect(plan.sms).toHaveLength(3);
    expect(again.steps).toEqual(plan.steps);
    expect(again.sms).toEqual(plan.sms);
    expect(await listBookingSteps(db, booking.id)).toHaveLength(10);

    await enqueueBookingPlan({ lifecycleQueue, smsQueue }, plan, now);
    await enqueueBookingPlan({ lifecycleQueue, smsQueue }, again, now);
    const jobs = await lifecycleQueue.getJobs(['delayed', 'waiting']);
    expect(jobs.map((j) => j.id).sort()).toEqual(steps.map((s) => `${booking.id}-${s.kind}-v1`).sort());
    const ringJob = await lifecycleQueue.getJob(`${booking.id}-fallback-ring-v1`);
    expect(ringJob?.data).toEqual({ v: 1, stepId: steps.find((s) => s.kind === 'fallback-ring')?.id });
    expect(ringJob?.opts.delay).toBe(start.getTime() + 2 * MIN - now.getTime());
    expect((await smsQueue.getJobs(['delayed', 'waiting'])).map((j) => j.id).sort()).toEqual(
      messages.map((m) => m.id).sort(),
    );
  });

  it('writes in the contact’s language and zone, and nothing to a number that opted out', async () => {
    const db = database.db;
    const now = new Date();
    const start = new Date(now.getTime() + 2 * HOUR);
    const end = new Date(start.getTime() + 15 * MIN);
    const london = await seedTestFamily(db, home, { language: 'en', timeZone: 'Europe/London', channel: 'phone' });
    const english = await bookTestCall(db, home, london, { start, end, now });
    await planBooking({ db, now }, english.id);
    const confirm = await findSmsByDedupeKey(db, `${english.id}-confirm-sms-v1`);
    expect(confirm?.language).toBe('en');
    expect(confirm?.body).toContain('(your time)');
    expect(confirm?.body.endsWith(`[${home.name}]`)).toBe(true);
    expect((await listBookingSteps(db, english.id)).map((s) => s.kind)).toContain('ring-phone');

    const quiet = await seedTestFamily(db, home, { smsOptOut: true });
    const optedOut = await bookTestCall(db, home, quiet, { start, end, now });
    const plan = await planBooking({ db, now }, optedOut.id);
    expect(plan.sms).toEqual([]);
    expect(await listSmsOfBooking(db, optedOut.id)).toEqual([]);
    const smsSteps = (await listBookingSteps(db, optedOut.id)).filter(
      (s) => s.kind.includes('sms') || s.kind.startsWith('reminder'),
    );
    expect(smsSteps.map((s) => s.state)).toEqual(['done', 'done']);
  });

  it('moves: cancels the old version’s pending steps and messages, tells a parent who heard of the old time', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home);
    const start = new Date(now.getTime() + 3 * HOUR);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });
    const v1 = await planBooking({ db, now }, booking.id);
    await enqueueBookingPlan({ lifecycleQueue, smsQueue }, v1, now);
    const confirm = await findSmsByDedupeKey(db, `${booking.id}-confirm-sms-v1`);
    // The confirmation goes out (claimed, then sent), as the sms worker would do it.
    expect(await claimSmsForSending(db, confirm!.id, { now, earlyMs: 0 })).not.toBeNull();
    await recordSmsSent(db, confirm!.id, { provider: 'outbox', providerId: `outbox_${randomUUID()}`, now });

    const later = new Date(start.getTime() + HOUR);
    const moved = await rescheduleBooking(db, home.homeId, booking.id, {
      kioskId: booking.kioskId,
      start: later,
      end: new Date(later.getTime() + 15 * MIN),
      now,
    });
    expect(moved.ok).toBe(true);
    const v2 = await planBooking({ db, now }, booking.id);
    expect(v2).toMatchObject({ version: 2, isNew: true });
    // The confirmation's step had not run yet: it goes with the rest of version 1 (its message was sent).
    expect(v2.cancelledStepJobIds.sort()).toEqual(
      [
        'confirm-sms',
        'reminder-15m',
        'open-room',
        'fallback-ring',
        'voice-notify',
        'kiosk-wait-limit',
        'warn-end',
        'close-room',
        'decide-outcome',
      ]
        .map((kind) => `${booking.id}-${kind}-v1`)
        .sort(),
    );
    await enqueueBookingPlan({ lifecycleQueue, smsQueue }, v2, now);
    expect(await lifecycleQueue.getJob(`${booking.id}-reminder-15m-v1`)).toBeUndefined();
    expect(await lifecycleQueue.getJob(`${booking.id}-reminder-15m-v2`)).toBeDefined();

    const messages = await listSmsOfBooking(db, booking.id);
    const byKey = messages.map((m) => [m.dedupeKey?.slice(booking.id.length + 1), m.status]);
    expect(byKey.sort()).toEqual([
      ['booking-moved-v2', 'pending'],
      ['confirm-sms-v1', 'sent'],
      ['reminder-15m-v1', 'cancelled'],
      ['reminder-15m-v2', 'pending'],
    ]);
    expect(messages.find((m) => m.template === 'booking-moved')?.dueAt).toEqual(now);
    for (const id of v2.cancelledSmsIds) expect(await smsQueue.getJob(id)).toBeUndefined();
    const steps = await listBookingSteps(db, booking.id);
    expect(steps.filter((s) => s.bookingVersion === 1).every((s) => s.state === 'cancelled')).toBe(true);
    expect(steps.filter((s) => s.bookingVersion === 2).map((s) => s.kind)).not.toContain('confirm-sms');

    // Cancelled: every pending step goes, and one cancellation SMS, however often it is planned.
    expect((await cancelBooking(db, home.homeId, booking.id, { reason: 'sick', now })).ok).toBe(true);
    const v3 = await planBooking({ db, now }, booking.id);
    await planBooking({ db, now }, booking.id);
    expect(v3.steps).toEqual([]);
    expect((await listBookingSteps(db, booking.id)).filter((s) => s.state === 'pending')).toEqual([]);
    const last = await listSmsOfBooking(db, booking.id);
    expect(last.filter((m) => m.template === 'booking-cancelled').map((m) => m.dedupeKey)).toEqual([
      `${booking.id}-booking-cancelled-v3`,
    ]);
    expect(last.filter((m) => m.status === 'pending').map((m) => m.template)).toEqual(['booking-cancelled']);
  });
});

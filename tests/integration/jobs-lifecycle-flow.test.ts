import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  type BookingRecord,
  type BookingStepRecord,
  cancelBooking,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  type Database,
  type Db,
  listBookingSteps,
  listSmsOfBooking,
  rescheduleBooking,
  schema,
  updateContact,
} from '@affection/db';
import {
  type BookingLifecycleProducer,
  createBookingLifecycleProducer,
  createProducerConnection,
  type LifecycleTimings,
  planBooking,
  type RunningWorkers,
  startWorkers,
} from '@affection/jobs';
import { LivekitCallRooms, LivekitPhoneBridge, TwilioSmsSender } from '@affection/telephony';
import {
  acceptedPerIdempotencyKey,
  FAULT_TEST_SMS_OPTIONS,
  FAULT_TEST_TWILIO_TIMEOUT_MS,
  type FakeTwilio,
  type LivekitServer,
  openTestDatabase,
  type RedisServer,
  startFakeTwilio,
  startLivekit,
  startRedis,
  type TestDatabaseKind,
  waitUntil,
} from '@affection/test-support';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * A whole call in seconds: the reminder 3 s before the start, the room 2 s before, the fallback ring 1 s in, the
 * end warning 1 s before the end, the close 0.5 s and the outcome 1 s after it. Bookings last a few seconds.
 */
const FAST: Partial<LifecycleTimings> = {
  reminderMs: 3_000,
  openRoomMs: 2_000,
  fallbackRingMs: 1_000,
  warnEndMs: 1_000,
  closeGraceMs: 500,
  decideOutcomeMs: 1_000,
};

interface Family {
  householdId: string;
  childId: string;
  contactId: string;
}

/** One Home with a 1-minute slot, kiosks enough for every test's calls, and contacts to book. */
async function seedHome(db: Db) {
  const home = await createHome(db, { name: '某某小学留守儿童之家', timeZone: 'Asia/Shanghai', slotMinutes: 1 });
  const staffId = createId('staff');
  await db.insert(schema.staff).values({
    id: staffId,
    homeId: home.id,
    role: 'teacher',
    displayName: '王老师',
    username: `t-${staffId}`,
    passwordHash: 'x',
  });
  const kioskIds = Array.from({ length: 12 }, () => createId('kiosk'));
  await db.insert(schema.kiosks).values(kioskIds.map((id, i) => ({ id, homeId: home.id, name: `${i + 1}号机` })));
  let families = 0;
  return {
    homeId: home.id,
    async family(channel: 'video' | 'phone'): Promise<Family> {
      families += 1;
      const household = await createHousehold(db, home.id, { name: `王家${families}` });
      const child = await createChild(db, home.id, { householdId: household.id, familyName: '王', givenName: '小明' });
      const contact = await createContact(db, home.id, {
        householdId: household.id,
        name: '李秀英',
        relation: 'mother',
        phone: `+86139${String(families).padStart(8, '0')}`,
        channel,
        phoneFallback: true,
      });
      const now = new Date();
      await updateContact(db, home.id, contact.id, { approvedBy: staffId, approvedAt: now }, now);
      return { householdId: household.id, childId: child.id, contactId: contact.id };
    },
    async book(family: Family, start: Date, end: Date): Promise<BookingRecord> {
      for (const kioskId of kioskIds) {
        const result = await createBooking(db, {
          homeId: home.id,
          kioskId,
          householdId: family.householdId,
          contactId: family.contactId,
          childIds: [family.childId],
          start,
          end,
          status: 'confirmed',
          source: 'teacher',
          now: new Date(),
        });
        if (result.ok) return result.booking;
      }
      throw new Error('no kiosk free');
    },
  };
}

const stateOf = (steps: BookingStepRecord[], kind: string, version = 1) =>
  steps.find((s) => s.kind === kind && s.bookingVersion === version);

describe.each<TestDatabaseKind>(['postgres', 'pglite'])(
  'booking lifecycle (%s, real Redis, a real LiveKit without SIP, a fake Twilio)',
  (kind) => {
    let redis: RedisServer;
    let database: Database & { close(): Promise<void> };
    let fake: FakeTwilio;
    let livekit: LivekitServer;
    let workers: RunningWorkers;
    let producerConnection: Redis;
    let lifecycle: BookingLifecycleProducer;
    let home: Awaited<ReturnType<typeof seedHome>>;
    const logs: { message: string; fields: Record<string, unknown> }[] = [];

    beforeAll(async () => {
      [redis, database, fake, livekit] = await Promise.all([
        startRedis(),
        openTestDatabase(kind),
        startFakeTwilio({ seed: 11 }),
        startLivekit(),
      ]);
      home = await seedHome(database.db);
      const log = (fields: Record<string, unknown>, message: string) => {
        logs.push({ message, fields });
      };
      workers = await startWorkers({
        redisUrl: redis.url,
        workerId: `lifecycle-${kind}`,
        logger: { info: log, warn: log, error: log },
        db: database.db,
        smsSender: new TwilioSmsSender({
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: '+15005550006',
          apiBaseUrl: fake.url,
          timeoutMs: FAULT_TEST_TWILIO_TIMEOUT_MS,
        }),
        smsProvider: 'twilio',
        sms: FAULT_TEST_SMS_OPTIONS,
        callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
        // A real bridge on a LiveKit server without a SIP service: ringing has nowhere to go.
        phoneBridge: new LivekitPhoneBridge({
          url: livekit.httpUrl,
          apiKey: livekit.apiKey,
          apiSecret: livekit.apiSecret,
          outboundTrunkId: 'ST_none',
        }),
        lifecycle: { timings: FAST, backoffMs: 200, backoffMaxMs: 2_000 },
      });
      producerConnection = createProducerConnection(redis.url);
      producerConnection.on('error', () => {});
      lifecycle = createBookingLifecycleProducer({
        connection: producerConnection,
        db: database.db,
        now: () => new Date(),
        logger: { info: log, warn: log, error: log },
        timings: FAST,
      });
    });
    afterAll(async () => {
      await workers?.close();
      await lifecycle?.close();
      producerConnection?.disconnect();
      await fake?.close();
      await livekit?.stop();
      await database?.close();
      await redis?.stop();
    });

    /** How many times the fake Twilio accepted each of a booking's messages, by template. */
    async function sentOf(bookingId: string): Promise<Record<string, number>> {
      const accepted = acceptedPerIdempotencyKey(fake);
      const counts: Record<string, number> = {};
      for (const message of await listSmsOfBooking(database.db, bookingId)) {
        const n = accepted.get(message.id) ?? 0;
        if (n > 0) counts[`${message.template}`] = (counts[`${message.template}`] ?? 0) + n;
      }
      return counts;
    }

    async function stepsSettled(bookingId: string, version = 1): Promise<boolean> {
      const steps = (await listBookingSteps(database.db, bookingId)).filter((s) => s.bookingVersion === version);
      return steps.length > 0 && steps.every((s) => s.state !== 'pending' && s.state !== 'running');
    }

    it('plans a call 25 hours ahead with every step and message at its time; 30 minutes ahead, no day-before', async () => {
      const db = database.db;
      const now = new Date();
      const family = await home.family('video');
      const start = new Date(now.getTime() + 25 * HOUR);
      const far = await home.book(family, start, new Date(start.getTime() + MIN));
      await planBooking({ db, now }, far.id);
      const steps = await listBookingSteps(db, far.id);
      expect(steps.map((s) => [s.kind, s.dueAt.getTime() - start.getTime()])).toEqual([
        ['confirm-sms', now.getTime() - start.getTime()],
        ['reminder-day-before', -24 * HOUR],
        ['reminder-15m', -15 * MIN],
        ['open-room', -5 * MIN],
        ['warn-end', 0],
        ['close-room', MIN + 30_000],
        ['decide-outcome', 2 * MIN],
      ]);
      // A 1-minute slot ends before the 2-minute fallback ring, so there is none.
      const messages = await listSmsOfBooking(db, far.id);
      expect(messages.map((m) => [m.template, m.dueAt.getTime() - start.getTime()])).toEqual([
        ['booking-confirmed', now.getTime() - start.getTime()],
        ['reminder-day-before', -24 * HOUR],
        ['reminder-15-min', -15 * MIN],
      ]);

      const soonStart = new Date(now.getTime() + 30 * MIN);
      const soon = await home.book(await home.family('phone'), soonStart, new Date(soonStart.getTime() + MIN));
      await planBooking({ db, now }, soon.id);
      const soonSteps = (await listBookingSteps(db, soon.id)).map((s) => s.kind);
      expect(soonSteps).toEqual([
        'confirm-sms',
        'reminder-15m',
        'open-room',
        'ring-phone',
        'warn-end',
        'close-room',
        'decide-outcome',
      ]);
      expect((await listSmsOfBooking(db, soon.id)).map((m) => m.template)).toEqual([
        'booking-confirmed',
        'reminder-15-min',
      ]);
    });

    it('runs a call’s steps in order, each once; ringing without SIP is "unavailable"', {
      timeout: 90_000,
    }, async () => {
      const db = database.db;
      // 12 seconds: ringing is worth it only with some call left.
      const start = new Date(Date.now() + 5_000);
      const end = new Date(start.getTime() + 12_000);
      const byPhone = await home.book(await home.family('phone'), start, end);
      const byVideo = await home.book(await home.family('video'), start, end);
      await lifecycle.onBookingChanged(byPhone.id);
      await lifecycle.onBookingChanged(byVideo.id);
      // A second call of the hook changes nothing.
      await lifecycle.onBookingChanged(byPhone.id);

      for (const booking of [byPhone, byVideo]) {
        await waitUntil(() => stepsSettled(booking.id), {
          timeoutMs: 60_000,
          what: `every step of ${booking.id} finished`,
          describe: async () =>
            JSON.stringify((await listBookingSteps(db, booking.id)).map((s) => [s.kind, s.state, s.lastError])),
        });
      }
      for (const booking of [byPhone, byVideo]) {
        const steps = await listBookingSteps(db, booking.id);
        // Each ran once (one claim), when it was due, and they finished in the order they fell due.
        expect(steps.map((s) => [s.kind, s.state, s.attempts])).toEqual(steps.map((s) => [s.kind, 'done', 1]));
        for (const step of steps) expect(step.updatedAt.getTime()).toBeGreaterThanOrEqual(step.dueAt.getTime() - 1_000);
        const finished = [...steps].sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime()).map((s) => s.kind);
        expect(finished).toEqual(steps.map((s) => s.kind));
        expect(stateOf(steps, 'open-room')?.lastError).toMatch(/^opened/);
        expect(stateOf(steps, 'warn-end')?.lastError).toMatch(/^kiosk-countdown/);
        expect(stateOf(steps, 'close-room')?.lastError).toMatch(/^(closed|already-closed)/);
        expect(await sentOf(booking.id)).toMatchObject({ 'booking-confirmed': 1, 'reminder-15-min': 1 });
      }
      const phoneSteps = await listBookingSteps(db, byPhone.id);
      expect(phoneSteps.map((s) => s.kind)).toEqual([
        'confirm-sms',
        'reminder-15m',
        'open-room',
        'ring-phone',
        'warn-end',
        'close-room',
        'decide-outcome',
      ]);
      expect(stateOf(phoneSteps, 'ring-phone')?.lastError).toMatch(/^unavailable: Phone calls are not set up/);
      const videoSteps = await listBookingSteps(db, byVideo.id);
      expect(videoSteps.map((s) => s.kind)).toContain('fallback-ring');
      expect(videoSteps.map((s) => s.kind)).not.toContain('ring-phone');
      // Nobody joined the video call: the fallback rang, and there was no SIP to ring through.
      expect(stateOf(videoSteps, 'fallback-ring')?.lastError).toMatch(/^unavailable/);
    });

    it('reschedule inside the reminder window: the old 15-minute reminder never goes out, the new one once', {
      timeout: 90_000,
    }, async () => {
      const db = database.db;
      const start = new Date(Date.now() + 8_000);
      const booking = await home.book(await home.family('video'), start, new Date(start.getTime() + 3_000));
      await lifecycle.onBookingChanged(booking.id);
      const oldReminder = (await listSmsOfBooking(db, booking.id)).find((m) => m.template === 'reminder-15-min');
      expect(oldReminder).toBeDefined();
      // The parent hears of the call, then it moves while its reminder is waiting.
      await waitUntil(async () => (await sentOf(booking.id))['booking-confirmed'] === 1, {
        timeoutMs: 20_000,
        what: 'the confirmation sent',
      });
      expect(Date.now()).toBeLessThan(oldReminder!.dueAt.getTime());
      const later = new Date(start.getTime() + 6_000);
      const moved = await rescheduleBooking(db, home.homeId, booking.id, {
        kioskId: booking.kioskId,
        start: later,
        end: new Date(later.getTime() + 3_000),
        now: new Date(),
      });
      expect(moved.ok).toBe(true);
      await lifecycle.onBookingChanged(booking.id);

      const newReminder = (await listSmsOfBooking(db, booking.id)).find(
        (m) => m.template === 'reminder-15-min' && m.id !== oldReminder!.id,
      );
      expect(newReminder?.dueAt).toEqual(new Date(later.getTime() - 3_000));
      await waitUntil(() => stepsSettled(booking.id, 2), { timeoutMs: 60_000, what: 'version 2 finished' });
      const messages = await listSmsOfBooking(db, booking.id);
      expect(messages.find((m) => m.id === oldReminder!.id)?.status).toBe('cancelled');
      expect(messages.find((m) => m.id === newReminder!.id)?.status).toBe('sent');
      const accepted = acceptedPerIdempotencyKey(fake);
      expect(accepted.get(oldReminder!.id)).toBeUndefined();
      expect(accepted.get(newReminder!.id)).toBe(1);
      expect(await sentOf(booking.id)).toEqual({ 'booking-confirmed': 1, 'booking-moved': 1, 'reminder-15-min': 1 });
      const steps = await listBookingSteps(db, booking.id);
      expect(steps.filter((s) => s.bookingVersion === 1 && s.kind !== 'confirm-sms').map((s) => s.state)).toEqual(
        Array(6).fill('cancelled'),
      );
      expect(steps.filter((s) => s.bookingVersion === 2).every((s) => s.state === 'done' && s.attempts === 1)).toBe(
        true,
      );
    });

    it('cancel: every pending step is cancelled and the parent gets one cancellation SMS', {
      timeout: 60_000,
    }, async () => {
      const db = database.db;
      const start = new Date(Date.now() + 8_000);
      const booking = await home.book(await home.family('phone'), start, new Date(start.getTime() + 3_000));
      await lifecycle.onBookingChanged(booking.id);
      await waitUntil(async () => (await sentOf(booking.id))['booking-confirmed'] === 1, {
        timeoutMs: 20_000,
        what: 'the confirmation sent',
      });
      expect((await cancelBooking(db, home.homeId, booking.id, { reason: 'ill', now: new Date() })).ok).toBe(true);
      await lifecycle.onBookingChanged(booking.id);
      await lifecycle.onBookingChanged(booking.id);

      const steps = await listBookingSteps(db, booking.id);
      expect(steps.map((s) => [s.kind, s.state])).toEqual([
        ['confirm-sms', 'done'],
        ['reminder-15m', 'cancelled'],
        ['open-room', 'cancelled'],
        ['ring-phone', 'cancelled'],
        ['warn-end', 'cancelled'],
        ['close-room', 'cancelled'],
        ['decide-outcome', 'cancelled'],
      ]);
      for (const step of steps.filter((s) => s.state === 'cancelled')) {
        expect(await workers.lifecycleQueue.getJob(`${booking.id}-${step.kind}-v1`)).toBeUndefined();
      }
      await waitUntil(async () => (await sentOf(booking.id))['booking-cancelled'] === 1, {
        timeoutMs: 20_000,
        what: 'the cancellation sent',
      });
      const messages = await listSmsOfBooking(db, booking.id);
      expect(messages.map((m) => [m.template, m.status])).toEqual([
        ['booking-confirmed', 'sent'],
        ['booking-cancelled', 'sent'],
        ['reminder-15-min', 'cancelled'],
      ]);
      expect(await sentOf(booking.id)).toEqual({ 'booking-confirmed': 1, 'booking-cancelled': 1 });
    });

    it('Redis comes back empty after planning: the reconciler re-enqueues, and every step runs exactly once', {
      timeout: 120_000,
    }, async () => {
      const db = database.db;
      const start = new Date(Date.now() + 6_000);
      const bookings: BookingRecord[] = [];
      for (let i = 0; i < 3; i += 1) {
        const at = new Date(start.getTime() + i * 1_000);
        bookings.push(
          await home.book(await home.family(i === 0 ? 'phone' : 'video'), at, new Date(at.getTime() + 3_000)),
        );
      }
      for (const booking of bookings) await lifecycle.onBookingChanged(booking.id);
      expect(await workers.lifecycleQueue.getJob(`${bookings[0]!.id}-open-room-v1`)).toBeDefined();

      // Lose everything Redis had before the first room opens: its AOF folder goes; it starts empty on the same port.
      await redis.kill('SIGKILL');
      for (const entry of await readdir(redis.dataDir)) {
        await rm(path.join(redis.dataDir, entry), { recursive: true, force: true });
      }
      await redis.restart();

      for (const booking of bookings) {
        await waitUntil(() => stepsSettled(booking.id), {
          timeoutMs: 60_000,
          what: `every step of ${booking.id} finished after Redis came back empty`,
          describe: async () =>
            JSON.stringify((await listBookingSteps(db, booking.id)).map((s) => [s.kind, s.state, s.lastError])),
        });
      }
      for (const booking of bookings) {
        const steps = await listBookingSteps(db, booking.id);
        expect(steps.map((s) => [s.kind, s.state, s.attempts])).toEqual(steps.map((s) => [s.kind, 'done', 1]));
        const sent = await sentOf(booking.id);
        expect(Object.values(sent).every((n) => n === 1)).toBe(true);
        expect(sent['reminder-15-min']).toBe(1);
      }
      expect(logs.some((l) => l.message === 'lifecycle reconciled' && Number(l.fields.enqueued) > 0)).toBe(true);
    });
  },
);

import { randomUUID } from 'node:crypto';
import { getBooking, getVoiceNotification, listBookingSteps, schema } from '@affection/db';
import { AliyunVoiceNotifier } from '@affection/telephony';
import {
  createFakeAliyunVoice,
  type FakeAliyun,
  type FakeAliyunVoice,
  openTestDatabase,
  type RedisServer,
  startFakeAliyun,
  startRedis,
  type TestDatabase,
  type TestDatabaseKind,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLogger } from '../job-logger.ts';
import { createJobBookingEvents } from './job-booking-events.ts';
import { planBooking } from './plan-booking.ts';
import { type RunBookingStepOptions, runBookingStep } from './run-step.ts';
import type { BookingStepContext } from './step-handler.ts';
import { BOOKING_STEP_HANDLERS } from './step-handlers.ts';
import {
  bookTestCall,
  InMemoryCallRooms,
  ScriptedPhoneBridge,
  seedTestContact,
  seedTestFamily,
  seedTestHome,
  type TestFamily,
  type TestHome,
} from './test-fixtures.ts';
import { voiceNotifyStep } from './voice-notify-step.ts';

const MIN = 60_000;
const logger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
const TTS_CODE = 'TTS_100001';
const SHOW_NUMBER = '057112345678';
// biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba Cloud's TTS template syntax, as submitted.
const TEMPLATE = '您好，这里是亲情电话。${name}在学校等您通话，时间是${time}。请打开亲情电话加入；您马上来，请按1。';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  'voice-notify: a TTS call to a parent who has not come (%s)',
  (kind) => {
    let database: TestDatabase;
    let redis: RedisServer;
    let connection: Redis;
    let lifecycleQueue: Queue;
    let smsQueue: Queue;
    let home: TestHome;
    let fake: FakeAliyun;
    let voice: FakeAliyunVoice;
    let notifier: AliyunVoiceNotifier;
    /** The fake provider's clock when a test moves time; real time otherwise. */
    let providerClock: Date | null = null;

    beforeAll(async () => {
      [database, redis] = await Promise.all([openTestDatabase(kind), startRedis()]);
      connection = new Redis(redis.url, { maxRetriesPerRequest: null });
      lifecycleQueue = new Queue(`lifecycle-${randomUUID()}`, { connection });
      smsQueue = new Queue(`sms-${randomUUID()}`, { connection });
      home = await seedTestHome(database.db, { kiosks: 12 });
      voice = createFakeAliyunVoice({
        templates: { [TTS_CODE]: TEMPLATE },
        showNumbers: [SHOW_NUMBER],
        now: () => providerClock ?? new Date(),
      });
      fake = await startFakeAliyun({ handlers: voice.handlers });
      notifier = new AliyunVoiceNotifier({
        accessKeyId: fake.accessKeyId,
        accessKeySecret: fake.accessKeySecret,
        showNumber: SHOW_NUMBER,
        templates: { 'parent-awaited': TTS_CODE },
        endpoint: fake.endpoint,
        protocol: 'http',
        timeoutMs: 2_000,
      });
    }, 60_000);
    afterAll(async () => {
      await fake?.close();
      await lifecycleQueue?.close();
      await smsQueue?.close();
      connection?.disconnect();
      await redis?.stop();
      await database?.close();
    });

    /** A call that started `startedMinutesAgo` minutes ago (15 long), planned an hour before it. */
    async function plannedCall(family: TestFamily, startedMinutesAgo: number) {
      const start = new Date(Date.now() - startedMinutesAgo * MIN);
      const booking = await bookTestCall(database.db, home, family, {
        start,
        end: new Date(start.getTime() + 15 * MIN),
        now: new Date(start.getTime() - 60 * MIN),
      });
      await planBooking({ db: database.db, now: new Date(start.getTime() - 60 * MIN) }, booking.id);
      const step = (await listBookingSteps(database.db, booking.id)).find((s) => s.kind === 'voice-notify');
      if (!step) throw new Error('no voice-notify step was planned');
      return { booking, step };
    }

    /** The handler's context for a booking's voice-notify step at `now`, as a lifecycle worker builds it. */
    async function contextAt(bookingId: string, stepId: string, now: Date): Promise<BookingStepContext> {
      const booking = await getBooking(database.db, home.homeId, bookingId);
      if (!booking) throw new Error('no booking');
      const clock = () => now;
      return {
        db: database.db,
        callRooms: new InMemoryCallRooms(),
        phoneBridge: null,
        voiceNotifier: notifier,
        smsQueue,
        now: clock,
        logger,
        bookingEvents: createJobBookingEvents({
          db: database.db,
          now: clock,
          logger,
          queues: { lifecycleQueue, smsQueue },
        }),
        booking,
        step: {
          id: stepId,
          bookingId,
          kind: 'voice-notify',
          bookingVersion: booking.version,
          dueAt: now,
          attempts: 1,
        },
      };
    }

    it('places the notification for a phone-only contact through the SDK, signed, with the child and the time', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const { booking, step } = await plannedCall(family, 3);
      expect(step.dueAt).toEqual(new Date(booking.start.getTime() + 2 * MIN + 30_000));
      const before = voice.calls.length;
      const options: RunBookingStepOptions = {
        db: database.db,
        callRooms: new InMemoryCallRooms(),
        phoneBridge: null,
        voiceNotifier: notifier,
        smsQueue,
        lifecycleQueue,
        now: () => new Date(),
        logger,
        handlers: BOOKING_STEP_HANDLERS,
      };
      expect(await runBookingStep(options, step.id)).toEqual({ kind: 'done', note: 'placed' });
      const calls = voice.calls.slice(before);
      const time = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(booking.start);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        calledNumber: family.phone.slice(3),
        showNumber: SHOW_NUMBER,
        ttsCode: TTS_CODE,
        params: { name: '小明', time },
        spoken: `您好，这里是亲情电话。小明在学校等您通话，时间是${time}。请打开亲情电话加入；您马上来，请按1。`,
      });
      expect(fake.requests.at(-1)).toMatchObject({ action: 'SingleCallByTts', version: '2017-05-25', isSigned: true });
      const row = await getVoiceNotification(database.db, calls[0]?.outId ?? '');
      expect(row).toMatchObject({
        bookingId: booking.id,
        contactId: family.contactId,
        provider: 'aliyun',
        status: 'placed',
        providerCallId: calls[0]?.callId,
      });
    });

    it('refuses a request signed with another secret, and places nothing', async () => {
      const forged = new AliyunVoiceNotifier({
        accessKeyId: fake.accessKeyId,
        accessKeySecret: 'not-the-secret-of-this-account',
        showNumber: SHOW_NUMBER,
        templates: { 'parent-awaited': TTS_CODE },
        endpoint: fake.endpoint,
        protocol: 'http',
      });
      const before = voice.calls.length;
      const result = await forged.place({
        to: '+8613800000000',
        notificationId: 'vnt_forged',
        purpose: 'parent-awaited',
        variables: { name: '小明', time: '12:15' },
      });
      expect(result).toMatchObject({
        ok: false,
        failure: { kind: 'permanent', providerCode: 'SignatureDoesNotMatch', isAmbiguous: false },
      });
      expect(voice.calls.length).toBe(before);
    });

    it('places one call when two workers run the step at once, and none for a contact in the room', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'video', phoneFallback: false });
      const { booking, step } = await plannedCall(family, 3);
      const now = new Date();
      const before = voice.calls.length;
      const outcomes = await Promise.all([
        contextAt(booking.id, step.id, now).then((context) => voiceNotifyStep(context)),
        contextAt(booking.id, step.id, now).then((context) => voiceNotifyStep(context)),
      ]);
      expect(outcomes.map((o) => (o.kind === 'done' ? o.outcome : o.kind)).sort()).toEqual(['already', 'placed']);
      expect(voice.calls.length - before).toBe(1);
      // Run again later (a retried job, a re-planned version): still one.
      const again = await voiceNotifyStep(await contextAt(booking.id, step.id, new Date(now.getTime() + 5 * MIN)));
      expect(again).toMatchObject({ kind: 'done', outcome: 'already' });
      expect(voice.calls.length - before).toBe(1);

      const present = await seedTestFamily(database.db, home, { channel: 'video' });
      const joined = await plannedCall(present, 3);
      const context = await contextAt(joined.booking.id, joined.step.id, now);
      (context.callRooms as InMemoryCallRooms).join(joined.booking.id, `parent:${present.contactId}`);
      expect(await voiceNotifyStep(context)).toMatchObject({ kind: 'done', outcome: 'not-needed' });
      expect(voice.calls.length - before).toBe(1);
    });

    it('leaves a contact who is rung into the room by phone to the ring', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const { booking, step } = await plannedCall(family, 3);
      const context = { ...(await contextAt(booking.id, step.id, new Date())), phoneBridge: new ScriptedPhoneBridge() };
      const before = voice.calls.length;
      expect(await voiceNotifyStep(context)).toMatchObject({ kind: 'done', outcome: 'rung-instead' });
      expect(voice.calls.length).toBe(before);
    });

    it('calls no number outside the mainland through Alibaba Cloud (the parent in Madrid)', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const madrid = await seedTestContact(database.db, home, family.householdId, {
        phone: '+34612345678',
        channel: 'phone',
        timeZone: 'Europe/Madrid',
        relation: 'father',
        name: '王建国',
      });
      const { booking, step } = await plannedCall({ ...family, contactId: madrid.id, phone: madrid.phone }, 3);
      const before = voice.calls.length;
      expect(await voiceNotifyStep(await contextAt(booking.id, step.id, new Date()))).toMatchObject({
        kind: 'done',
        outcome: 'not-covered',
      });
      expect(voice.calls.length).toBe(before);
    });

    it('delays a second call to the same number by the per-number limit instead of being refused', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const first = await plannedCall(family, 3);
      // The same parent's next call, later the same hour (another booking).
      const start = new Date(first.booking.end.getTime() + MIN);
      const second = await bookTestCall(database.db, home, family, {
        start,
        end: new Date(start.getTime() + 15 * MIN),
        now: new Date(start.getTime() - 60 * MIN),
      });
      await planBooking({ db: database.db, now: new Date(start.getTime() - 60 * MIN) }, second.id);
      const secondStep = (await listBookingSteps(database.db, second.id)).find((s) => s.kind === 'voice-notify');
      if (!secondStep) throw new Error('no second step');
      const refusedBefore = voice.refusedForCaps;
      const before = voice.calls.length;
      const t0 = new Date();
      providerClock = t0;
      expect(await voiceNotifyStep(await contextAt(first.booking.id, first.step.id, t0))).toMatchObject({
        outcome: 'placed',
      });
      providerClock = new Date(t0.getTime() + 20_000);
      const held = await voiceNotifyStep(await contextAt(second.id, secondStep.id, providerClock));
      expect(held).toEqual({ kind: 'retry', reason: 'the per-number limit of voice calls', retryAfterMs: 40_000 });
      // The provider was never asked, so never refused; the row waits, counting towards no limit.
      expect(voice.calls.length - before).toBe(1);
      expect(voice.refusedForCaps).toBe(refusedBefore);
      const [waiting] = await database.db
        .select()
        .from(schema.voiceNotifications)
        .where(eq(schema.voiceNotifications.bookingId, second.id));
      expect(waiting).toMatchObject({ status: 'pending', placedAt: null });
      // A minute after the first it goes, and the provider (counting the same way) takes it.
      providerClock = new Date(t0.getTime() + MIN);
      try {
        const later = await voiceNotifyStep(await contextAt(second.id, secondStep.id, providerClock));
        expect(later).toMatchObject({ kind: 'done', outcome: 'placed' });
      } finally {
        providerClock = null;
      }
      expect(voice.calls.length - before).toBe(2);
      expect(voice.refusedForCaps).toBe(refusedBefore);
    });

    it('does not place again after a timeout (the call may be ringing): the report will settle it', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const { booking, step } = await plannedCall(family, 3);
      fake.handle('SingleCallByTts', (request) => {
        const answer = voice.handlers.SingleCallByTts?.(request);
        return Promise.resolve(answer).then((a) => ({
          ...(a as { status: number; body: Record<string, unknown> }),
          delayMs: 4_000,
        }));
      });
      try {
        const before = voice.calls.length;
        const outcome = await voiceNotifyStep(await contextAt(booking.id, step.id, new Date()));
        expect(outcome).toMatchObject({ kind: 'done', outcome: 'placed-unconfirmed' });
        expect(voice.calls.length - before).toBe(1);
        const again = await voiceNotifyStep(await contextAt(booking.id, step.id, new Date(Date.now() + 2 * MIN)));
        expect(again).toMatchObject({ kind: 'done', outcome: 'already' });
        expect(voice.calls.length - before).toBe(1);
      } finally {
        fake.handle(
          'SingleCallByTts',
          voice.handlers.SingleCallByTts as NonNullable<typeof voice.handlers.SingleCallByTts>,
        );
      }
    });

    it('is unavailable without a notifier, and retries when the provider throttles or fails before placing', async () => {
      const family = await seedTestFamily(database.db, home, { channel: 'phone' });
      const { booking, step } = await plannedCall(family, 3);
      const none = { ...(await contextAt(booking.id, step.id, new Date())), voiceNotifier: null };
      expect(await voiceNotifyStep(none)).toMatchObject({ kind: 'done', outcome: 'unavailable' });
      voice.failNext(1, 'throttled');
      expect(await voiceNotifyStep(await contextAt(booking.id, step.id, new Date()))).toMatchObject({ kind: 'retry' });
      voice.failNext(1, 'server-error');
      const afterServerError = await voiceNotifyStep(
        await contextAt(booking.id, step.id, new Date(Date.now() + 2 * MIN)),
      );
      // A 5xx may come after the call was placed: not placed again.
      expect(afterServerError).toMatchObject({ kind: 'done', outcome: 'placed-unconfirmed' });
    });
  },
);

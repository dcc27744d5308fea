import { randomUUID } from 'node:crypto';
import { AppError, TelephonyError } from '@affection/core';
import {
  type BookingRecord,
  claimBookingStep,
  getBookingStep,
  listBookingSteps,
  rescheduleBooking,
} from '@affection/db';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLogger } from '../job-logger.ts';
import { planBooking } from './plan-booking.ts';
import { type RunBookingStepOptions, runBookingStep } from './run-step.ts';
import type { BookingStepHandler, BookingStepKind } from './step-handler.ts';
import { BOOKING_STEP_HANDLERS } from './step-handlers.ts';
import {
  bookTestCall,
  InMemoryCallRooms,
  ScriptedPhoneBridge,
  seedTestFamily,
  seedTestHome,
  type TestHome,
} from './test-fixtures.ts';

const MIN = 60_000;
const logger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe('runBookingStep (PGlite, in-memory rooms and phones)', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let connection: Redis;
  let lifecycleQueue: Queue;
  let smsQueue: Queue;
  let home: TestHome;

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase('pglite'), startRedis()]);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
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

  /** A call starting in 20 minutes (or `inMinutes`), planned; `clock` is the time the steps run at. */
  async function plannedCall(contact: Parameters<typeof seedTestFamily>[2] = {}, inMinutes = 20) {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home, contact);
    const start = new Date(now.getTime() + inMinutes * MIN);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });
    await planBooking({ db, now }, booking.id);
    const steps = await listBookingSteps(db, booking.id);
    const stepOf = (kind: BookingStepKind) => {
      const step = steps.find((s) => s.kind === kind);
      if (!step) throw new Error(`no ${kind} step`);
      return step;
    };
    return { booking, family, stepOf };
  }

  function options(
    clock: Date,
    extra: Partial<RunBookingStepOptions> = {},
  ): RunBookingStepOptions & { rooms: InMemoryCallRooms; phones: ScriptedPhoneBridge } {
    const rooms = new InMemoryCallRooms();
    const phones = new ScriptedPhoneBridge();
    return {
      db: database.db,
      callRooms: rooms,
      phoneBridge: phones,
      smsQueue,
      lifecycleQueue,
      now: () => clock,
      logger,
      handlers: BOOKING_STEP_HANDLERS,
      rooms,
      phones,
      ...extra,
    };
  }

  const at = (booking: BookingRecord, offsetMs: number) => new Date(booking.start.getTime() + offsetMs);

  it('opens the room once, however many jobs fire, and not before its time', async () => {
    const { booking, stepOf } = await plannedCall();
    const step = stepOf('open-room');
    const early = options(at(booking, -10 * MIN));
    expect(await runBookingStep(early, step.id)).toEqual({ kind: 'not-due', at: step.dueAt });
    const due = options(at(booking, -5 * MIN));
    const outcomes = await Promise.all([runBookingStep(due, step.id), runBookingStep(due, step.id)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['done', 'in-flight']);
    expect(due.rooms.opened).toEqual([booking.id]);
    expect(due.rooms.rooms.get(booking.id)).toMatchObject({ homeId: booking.homeId, maxParticipants: 5 });
    expect(await getBookingStep(database.db, step.id)).toMatchObject({ state: 'done', attempts: 1 });
    expect(await runBookingStep(due, step.id)).toEqual({ kind: 'settled', state: 'done' });
  });

  it('records "unavailable" without LiveKit or SIP, never an exception', async () => {
    const { booking, stepOf } = await plannedCall({ channel: 'phone' });
    const bare = options(at(booking, 0), { callRooms: null, phoneBridge: null });
    expect(await runBookingStep({ ...bare, now: () => at(booking, -5 * MIN) }, stepOf('open-room').id)).toMatchObject({
      kind: 'done',
      note: 'unavailable: LiveKit is not configured',
    });
    expect(await runBookingStep(bare, stepOf('ring-phone').id)).toMatchObject({ kind: 'done' });
    expect((await getBookingStep(database.db, stepOf('ring-phone').id))?.lastError).toMatch(/^unavailable/);
  });

  it('rings a phone contact for the slot’s remainder and records what happened', async () => {
    const { booking, family, stepOf } = await plannedCall({ channel: 'phone' });
    const run = options(at(booking, 0));
    run.phones.answers.push({ outcome: 'busy', sipStatusCode: 486, isRetryable: true, message: 'SIP 486 Busy Here' });
    expect(await runBookingStep(run, stepOf('ring-phone').id)).toEqual({
      kind: 'done',
      note: 'busy: SIP 486 Busy Here',
    });
    expect(run.phones.rings).toEqual([
      {
        bookingId: booking.id,
        contactId: family.contactId,
        to: family.phone,
        ringingTimeoutSeconds: 45,
        maxDurationSeconds: 15 * 60,
      },
    ]);
  });

  it('takes a step over from a runner that vanished: a reminder after the quick lease, a ring after the long one', async () => {
    // An hour ahead: the other tests' calls hold the kiosks in 20 minutes.
    const { booking, stepOf } = await plannedCall({ channel: 'phone' }, 60);
    const reminder = stepOf('reminder-15m');
    const ring = stepOf('ring-phone');
    // A worker claims both and is killed before it finishes either: the rows stay `running`.
    const claimedAt = at(booking, 0);
    for (const step of [reminder, ring]) {
      const claim = { now: claimedAt, earlyMs: 1_000, staleBefore: new Date(0) };
      expect(await claimBookingStep(database.db, step.id, claim)).toMatchObject({ state: 'running', attempts: 1 });
    }
    const later = (ms: number) => options(new Date(claimedAt.getTime() + ms));
    expect(await runBookingStep(later(29_000), reminder.id)).toEqual({
      kind: 'in-flight',
      at: new Date(claimedAt.getTime() + 30_000),
    });
    expect(await runBookingStep(later(31_000), reminder.id)).toEqual({ kind: 'done', note: 'queued' });
    expect(await getBookingStep(database.db, reminder.id)).toMatchObject({ state: 'done', attempts: 2 });

    const early = later(31_000);
    expect(await runBookingStep(early, ring.id)).toEqual({
      kind: 'in-flight',
      at: new Date(claimedAt.getTime() + 180_000),
    });
    expect(early.phones.rings).toEqual([]);
    const late = later(181_000);
    expect(await runBookingStep(late, ring.id)).toMatchObject({ kind: 'done' });
    expect(late.phones.rings).toHaveLength(1);
    expect(await getBookingStep(database.db, ring.id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('falls back to the phone only when the video contact is not in the room', async () => {
    const first = await plannedCall();
    const inRoom = options(at(first.booking, 2 * MIN));
    inRoom.rooms.join(first.booking.id, `parent:${first.family.contactId}`);
    inRoom.rooms.join(first.booking.id, `kid:${first.family.childId}`);
    expect(await runBookingStep(inRoom, first.stepOf('fallback-ring').id)).toMatchObject({
      kind: 'done',
      note: 'not-needed: the contact is in the room',
    });
    expect(inRoom.phones.rings).toEqual([]);

    const second = await plannedCall();
    const absent = options(at(second.booking, 2 * MIN));
    absent.rooms.join(second.booking.id, `kid:${second.family.childId}`);
    absent.phones.answers.push({ outcome: 'answered', participantIdentity: 'phone:x', callId: 'SCL_1' });
    expect(await runBookingStep(absent, second.stepOf('fallback-ring').id)).toEqual({ kind: 'done', note: 'answered' });
    expect(absent.phones.rings.map((r) => [r.contactId, r.maxDurationSeconds])).toEqual([
      [second.family.contactId, 13 * 60],
    ]);
  });

  it('retries a passing failure with the step back to pending, and gives up after the cap', async () => {
    const { booking, stepOf } = await plannedCall();
    const step = stepOf('warn-end');
    const unreachable: BookingStepHandler = async () => {
      throw new TelephonyError('unreachable', 'LiveKit did not answer', { provider: 'livekit' });
    };
    const run = options(at(booking, 14 * MIN), {
      handlers: { ...BOOKING_STEP_HANDLERS, 'warn-end': unreachable },
      maxAttempts: 2,
    });
    expect(await runBookingStep(run, step.id)).toEqual({ kind: 'retry', reason: 'LiveKit did not answer' });
    expect(await getBookingStep(database.db, step.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'retry: LiveKit did not answer',
    });
    expect(await runBookingStep(run, step.id)).toMatchObject({ kind: 'failed' });
    expect(await getBookingStep(database.db, step.id)).toMatchObject({
      state: 'failed',
      lastError: 'gave up after 2 attempts: LiveKit did not answer',
    });

    // A permanent failure fails at once.
    const refused: BookingStepHandler = async () => {
      throw new AppError('bad-request', 'LiveKit refused the room');
    };
    const close = stepOf('close-room');
    const once = options(at(booking, 16 * MIN), { handlers: { ...BOOKING_STEP_HANDLERS, 'close-room': refused } });
    expect(await runBookingStep(once, close.id)).toEqual({ kind: 'failed', note: 'LiveKit refused the room' });
  });

  it('decides the outcome only once the room’s close has finished', async () => {
    const { booking, stepOf } = await plannedCall();
    const decided: string[] = [];
    const decide: BookingStepHandler = async ({ booking: b }) => {
      decided.push(b.id);
      return { kind: 'done', outcome: 'completed' };
    };
    const run = options(at(booking, 17 * MIN), { handlers: { ...BOOKING_STEP_HANDLERS, 'decide-outcome': decide } });
    const outcome = await runBookingStep(run, stepOf('decide-outcome').id);
    expect(outcome).toMatchObject({ kind: 'waiting', for: 'close-room' });
    expect(decided).toEqual([]);
    expect(await getBookingStep(database.db, stepOf('decide-outcome').id)).toMatchObject({
      state: 'pending',
      attempts: 0,
    });
    expect(await runBookingStep(run, stepOf('close-room').id)).toMatchObject({ kind: 'done' });
    expect(await runBookingStep(run, stepOf('decide-outcome').id)).toEqual({ kind: 'done', note: 'completed' });
    expect(decided).toEqual([booking.id]);
  });

  it('cancels a step whose booking moved on, and plans the new version if nobody did', async () => {
    const { booking, stepOf } = await plannedCall();
    const later = at(booking, 60 * MIN);
    const moved = await rescheduleBooking(database.db, home.homeId, booking.id, {
      kioskId: booking.kioskId,
      start: later,
      end: new Date(later.getTime() + 15 * MIN),
      now: new Date(),
    });
    expect(moved.ok).toBe(true);
    const run = options(at(booking, -5 * MIN));
    expect(await runBookingStep(run, stepOf('open-room').id)).toEqual({
      kind: 'cancelled',
      note: 'booking moved on to v2',
    });
    expect(run.rooms.opened).toEqual([]);
    const steps = await listBookingSteps(database.db, booking.id);
    expect(steps.filter((s) => s.bookingVersion === 2).map((s) => s.kind)).toContain('open-room');
    expect(steps.filter((s) => s.bookingVersion === 1 && s.state === 'pending')).toEqual([]);
    expect(await lifecycleQueue.getJob(`${booking.id}-open-room-v2`)).toBeDefined();
  });
});

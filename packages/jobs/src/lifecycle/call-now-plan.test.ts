import { randomUUID } from 'node:crypto';
import {
  findSmsByDedupeKey,
  getBooking,
  getBookingStep,
  listBookingSteps,
  listSmsOfBooking,
  updateHome,
} from '@affection/db';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLogger } from '../job-logger.ts';
import { enqueueBookingPlan, planBooking } from './plan-booking.ts';
import { type RunBookingStepOptions, runBookingStep } from './run-step.ts';
import type { BookingStepKind } from './step-handler.ts';
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

const MIN = 60_000;
const HOUR = 60 * MIN;
const logger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe('"call now" and three-way calls: who is told and rung, and when (PGlite, real Redis)', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let connection: Redis;
  let lifecycleQueue: Queue;
  let smsQueue: Queue;
  let home: TestHome;
  let homeB: TestHome;

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase('pglite'), startRedis()]);
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    lifecycleQueue = new Queue(`lifecycle-${randomUUID()}`, { connection });
    smsQueue = new Queue(`sms-${randomUUID()}`, { connection });
    home = await seedTestHome(database.db, { kiosks: 4 });
    homeB = await seedTestHome(database.db, { kiosks: 1 });
  });
  afterAll(async () => {
    await lifecycleQueue?.close();
    await smsQueue?.close();
    connection?.disconnect();
    await redis?.stop();
    await database?.close();
  });

  /** Books a call for a family on a free kiosk of the Home: "call now" (`adhoc`) by default. */
  function book(
    family: TestFamily,
    span: { start: Date; end: Date; now: Date },
    extra: { source?: 'adhoc' | 'teacher'; secondContactId?: string; on?: TestHome } = {},
  ) {
    const { on = home, source = 'adhoc', secondContactId } = extra;
    return bookTestCall(database.db, on, family, span, { source, ...(secondContactId ? { secondContactId } : {}) });
  }

  function runOptions(clock: Date): RunBookingStepOptions & { rooms: InMemoryCallRooms; phones: ScriptedPhoneBridge } {
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
    };
  }

  async function stepOf(bookingId: string, kind: BookingStepKind) {
    const step = (await listBookingSteps(database.db, bookingId)).find((s) => s.kind === kind);
    if (!step) throw new Error(`no ${kind} step`);
    return step;
  }

  it('tells a "call now" parent at once by SMS without a link, and the message is on the sms queue', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home);
    const booking = await book(family, { start: now, end: new Date(now.getTime() + 15 * MIN), now });
    const plan = await planBooking({ db, now }, booking.id);
    await enqueueBookingPlan({ lifecycleQueue, smsQueue }, plan, now);

    const steps = await listBookingSteps(db, booking.id);
    expect(steps.map((s) => s.kind)).not.toContain('confirm-sms');
    expect(steps.find((s) => s.kind === 'call-now-sms')).toMatchObject({ state: 'pending', dueAt: now });
    const message = await findSmsByDedupeKey(db, `${booking.id}-call-now-sms-v1`);
    expect(message).toMatchObject({
      template: 'call-now',
      status: 'pending',
      toPhone: family.phone,
      contactId: family.contactId,
      dueAt: now,
    });
    expect(message?.body).toBe(`小明在学校等您视频，请现在打开亲情电话页面。【${home.name}】`);
    expect(message?.body).not.toMatch(/https?:/);
    const job = await smsQueue.getJob(message!.id);
    expect(job?.opts.delay).toBe(0);
    // The step itself finds its message already on the queue.
    const ran = runOptions(now);
    expect(await runBookingStep(ran, (await stepOf(booking.id, 'call-now-sms')).id)).toEqual({
      kind: 'done',
      note: 'queued',
    });
    // The video parent is rung after the Home's wait (default 2 minutes), not at once.
    expect((await stepOf(booking.id, 'fallback-ring')).dueAt).toEqual(new Date(now.getTime() + 2 * MIN));
    expect(steps.map((s) => s.kind)).not.toContain('ring-phone');
  });

  it('rings a phone-channel "call now" parent at once', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home, { channel: 'phone' });
    const booking = await book(family, { start: now, end: new Date(now.getTime() + 15 * MIN), now });
    await planBooking({ db, now }, booking.id);
    const ring = await stepOf(booking.id, 'ring-phone');
    expect(ring.dueAt).toEqual(now);
    const message = await findSmsByDedupeKey(db, `${booking.id}-call-now-sms-v1`);
    expect(message?.body).toBe(`小明在学校等您通话，我们马上打电话给您。【${home.name}】`);
    const run = runOptions(now);
    run.phones.answers.push({ outcome: 'answered', participantIdentity: 'phone:x', callId: 'call_1' });
    expect(await runBookingStep(run, ring.id)).toEqual({ kind: 'done', note: 'answered' });
    expect(run.phones.rings.map((r) => [r.contactId, r.to])).toEqual([[family.contactId, family.phone]]);
  });

  it("rings a video parent who has not joined after the Home's wait, and not one who has", async () => {
    const db = database.db;
    await updateHome(db, home.homeId, { parentJoinWaitMinutes: 5 });
    try {
      const now = new Date();
      const absent = await seedTestFamily(db, home);
      const joined = await seedTestFamily(db, home);
      const span = { start: now, end: new Date(now.getTime() + 15 * MIN), now };
      const first = await book(absent, span);
      const second = await book(joined, span);
      await planBooking({ db, now }, first.id);
      await planBooking({ db, now }, second.id);
      const wait = new Date(now.getTime() + 5 * MIN);
      const ringAbsent = await stepOf(first.id, 'fallback-ring');
      const ringJoined = await stepOf(second.id, 'fallback-ring');
      expect(ringAbsent.dueAt).toEqual(wait);

      // Not before the wait is over.
      const early = runOptions(new Date(now.getTime() + 2 * MIN));
      expect(await runBookingStep(early, ringAbsent.id)).toEqual({ kind: 'not-due', at: wait });
      expect(early.phones.rings).toEqual([]);

      const run = runOptions(wait);
      run.rooms.join(second.id, `parent:${joined.contactId}`);
      expect(await runBookingStep(run, ringJoined.id)).toMatchObject({
        kind: 'done',
        note: 'not-needed: the contact is in the room',
      });
      run.phones.answers.push({ outcome: 'answered', participantIdentity: 'phone:x', callId: 'call_1' });
      expect(await runBookingStep(run, ringAbsent.id)).toEqual({ kind: 'done', note: 'answered' });
      expect(run.phones.rings.map((r) => r.contactId)).toEqual([absent.contactId]);
      expect((await getBookingStep(db, ringJoined.id))?.lastError).toMatch(/^not-needed/);
    } finally {
      await updateHome(db, home.homeId, { parentJoinWaitMinutes: 2 });
    }
  });

  it("gives a three-way call's second contact the same confirmation, reminders and ring as the first", async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home);
    const secondPhone = `+86139${String(Date.now()).slice(-8)}`;
    const created = await seedTestContact(db, home, family.householdId, {
      name: '王建国',
      relation: 'father',
      phone: secondPhone,
      language: 'en',
      channel: 'phone',
    });
    const start = new Date(now.getTime() + 25 * HOUR);
    const booking = await book(
      family,
      { start, end: new Date(start.getTime() + 15 * MIN), now },
      { source: 'teacher', secondContactId: created.id },
    );
    await planBooking({ db, now }, booking.id);

    const keys = (await listSmsOfBooking(db, booking.id)).map((m) => m.dedupeKey).sort();
    expect(keys).toEqual([
      `${booking.id}-confirm-sms-2-v1`,
      `${booking.id}-confirm-sms-v1`,
      `${booking.id}-reminder-15m-2-v1`,
      `${booking.id}-reminder-15m-v1`,
      `${booking.id}-reminder-day-before-2-v1`,
      `${booking.id}-reminder-day-before-v1`,
    ]);
    const messages = await Promise.all(keys.map((key) => findSmsByDedupeKey(db, key!)));
    const toSecond = messages.filter((m) => m?.contactId === created.id);
    expect(toSecond.map((m) => [m?.dedupeKey, m?.template, m?.toPhone, m?.language])).toEqual([
      [`${booking.id}-confirm-sms-2-v1`, 'booking-confirmed', secondPhone, 'en'],
      [`${booking.id}-reminder-15m-2-v1`, 'reminder-15-min', secondPhone, 'en'],
      [`${booking.id}-reminder-day-before-2-v1`, 'reminder-day-before', secondPhone, 'en'],
    ]);
    // Each in the second contact's own language and channel; the first contact's messages are theirs.
    expect(toSecond[0]?.body).toContain('We will ring you.');
    expect(messages.filter((m) => m?.contactId === family.contactId).map((m) => m?.toPhone)).toEqual([
      family.phone,
      family.phone,
      family.phone,
    ]);

    const ring = await stepOf(booking.id, 'ring-phone-2');
    expect(ring.dueAt).toEqual(start);
    const run = runOptions(start);
    run.phones.answers.push({ outcome: 'answered', participantIdentity: 'phone:x', callId: 'call_1' });
    expect(await runBookingStep(run, ring.id)).toEqual({ kind: 'done', note: 'answered' });
    expect(run.phones.rings.map((r) => [r.contactId, r.to])).toEqual([[created.id, secondPhone]]);

    // Home B's calls and messages are untouched by all of this.
    const familyB = await seedTestFamily(db, homeB);
    const bookingB = await book(
      familyB,
      { start, end: new Date(start.getTime() + 15 * MIN), now },
      { source: 'teacher', on: homeB },
    );
    expect(await listBookingSteps(db, bookingB.id)).toEqual([]);
    expect(await listSmsOfBooking(db, bookingB.id)).toEqual([]);
    await planBooking({ db, now }, bookingB.id);
    const keysB = (await listSmsOfBooking(db, bookingB.id)).map((m) => m.dedupeKey!);
    const messagesB = await Promise.all(keysB.map((key) => findSmsByDedupeKey(db, key)));
    expect(messagesB.map((m) => m?.toPhone)).toEqual([familyB.phone, familyB.phone, familyB.phone]);
    expect((await listBookingSteps(db, bookingB.id)).map((s) => s.kind)).not.toContain('confirm-sms-2');
  });

  it("ends a call whose parent did not come after the Home's kiosk waiting limit, and leaves the others", async () => {
    const db = database.db;
    await updateHome(db, home.homeId, { kioskWaitMinutes: 1 });
    try {
      // Two hours ahead: the kiosks are free then. The steps run on a clock set to the call's time.
      const planned = new Date();
      const now = new Date(planned.getTime() + 2 * HOUR);
      const span = { start: now, end: new Date(now.getTime() + 15 * MIN), now: planned };
      const [alone, withParent, late, empty] = await Promise.all(
        [0, 1, 2, 3].map(() => seedTestFamily(db, home, { phoneFallback: false })),
      );
      const bookings = [];
      for (const family of [alone!, withParent!, late!, empty!]) bookings.push(await book(family, span));
      for (const booking of bookings) await planBooking({ db, now: planned }, booking.id);
      const [aloneCall, parentCall, lateCall, emptyCall] = bookings as [
        (typeof bookings)[0],
        (typeof bookings)[0],
        (typeof bookings)[0],
        (typeof bookings)[0],
      ];
      const limitAt = new Date(now.getTime() + MIN);
      const stepOfCall = (id: string) => stepOf(id, 'kiosk-wait-limit');
      expect((await stepOfCall(aloneCall.id)).dueAt).toEqual(limitAt);

      const run = runOptions(limitAt);
      const options = run;
      run.rooms.join(aloneCall.id, `kid:${alone!.childId}`, now);
      run.rooms.join(parentCall.id, `kid:${withParent!.childId}`, now);
      run.rooms.join(parentCall.id, `parent:${withParent!.contactId}`, now);
      run.rooms.join(lateCall.id, `kid:${late!.childId}`, new Date(now.getTime() + 40_000));

      expect(await runBookingStep(options, (await stepOfCall(parentCall.id)).id)).toMatchObject({
        kind: 'done',
        note: 'not-needed: a parent is in the room',
      });
      expect(await runBookingStep(options, (await stepOfCall(emptyCall.id)).id)).toEqual({
        kind: 'done',
        note: 'no-child',
      });
      // The child who came 40 s late waits their whole minute: the step comes back when it is up.
      const lateRun = await runBookingStep(options, (await stepOfCall(lateCall.id)).id);
      expect(lateRun).toMatchObject({ kind: 'retry' });
      expect(lateRun.kind === 'retry' ? lateRun.retryAfterMs : 0).toBe(40_000);

      expect(await runBookingStep(options, (await stepOfCall(aloneCall.id)).id)).toEqual({
        kind: 'done',
        note: 'ended: the parent did not come',
      });
      const ended = await getBooking(db, home.homeId, aloneCall.id);
      // Ended now (to the next whole second, as the board's "end" does).
      expect(ended?.end).toEqual(new Date(Math.ceil(limitAt.getTime() / 1000) * 1000));
      expect(ended?.version).toBe(aloneCall.version + 1);
      expect(run.rooms.closed).toEqual([aloneCall.id]);
      // The call's end is planned again: the room's close and the outcome (and so the missed-call offer) follow.
      const next = (await listBookingSteps(db, aloneCall.id)).filter((s) => s.bookingVersion === ended?.version);
      expect(next.map((s) => s.kind)).toEqual(expect.arrayContaining(['close-room', 'decide-outcome']));
      // The others go on as booked.
      for (const call of [parentCall, lateCall, emptyCall]) {
        expect((await getBooking(db, home.homeId, call.id))?.end).toEqual(call.end);
      }
    } finally {
      await updateHome(db, home.homeId, { kioskWaitMinutes: 3 });
    }
  });
});

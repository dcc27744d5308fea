import { randomBytes } from 'node:crypto';
import { type CallRooms, participantKindOf } from '@affection/core';
import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createKiosk,
  createStaff,
  enrolKiosk,
  findSmsByDedupeKey,
  getBooking,
  getCallLog,
  listBookingsOfHousehold,
  recordKioskPresence,
  replaceOpeningRules,
  storeWebhookEventOnce,
  updateContact,
} from '@affection/db';
import {
  type BookingStepContext,
  closeRoomStep,
  createJobBookingEvents,
  createProducerConnection,
  decideOutcomeStep,
  type JobLogger,
  missedCallSmsKey,
  QUEUE_NAMES,
} from '@affection/jobs';
import {
  openTestDatabase,
  type RedisServer,
  startRedis,
  type TestDatabase,
  type TestDatabaseKind,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryCallRooms } from '../../packages/jobs/src/lifecycle/test-fixtures.ts';

const logger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('closing a call and deciding its outcome (%s)', (kind) => {
  let database: TestDatabase;
  let redis: RedisServer;
  let smsQueue: Queue;
  let lifecycleQueue: Queue;
  let producer: ReturnType<typeof createProducerConnection>;
  let homeId: string;
  let kioskId: string;
  let staffId: string;
  let calls = 0;
  // Wednesday 18 November 2026, 18:00 in Beijing; the Home is open 08:00–20:00 every day.
  const NOW = new Date('2026-11-18T10:00:00Z');

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase(kind), startRedis()]);
    producer = createProducerConnection(redis.url);
    smsQueue = new Queue(QUEUE_NAMES.sms, { connection: producer });
    lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection: producer });
    const db = database.db;
    const home = await createHome(db, { name: '某某小学留守儿童之家' });
    homeId = home.id;
    await replaceOpeningRules(
      db,
      homeId,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '20:00' })),
    );
    const enrolmentCodeHash = randomBytes(16).toString('hex');
    const enrolmentExpiresAt = new Date(NOW.getTime() + 3_600_000);
    const kiosk = await createKiosk(db, { homeId, name: '一号机', enrolmentCodeHash, enrolmentExpiresAt });
    // Enrolled, as a kiosk must be for the booking layer to offer a new time on it.
    await enrolKiosk(db, { enrolmentCodeHash, deviceTokenHash: randomBytes(16).toString('hex'), now: NOW });
    kioskId = kiosk.id;
    staffId = (
      await createStaff(db, homeId, { role: 'admin', displayName: '管理员', username: 'admin', passwordHash: 'x' })
    ).id;
  });
  afterAll(async () => {
    await smsQueue?.close();
    await lifecycleQueue?.close();
    producer?.disconnect();
    await redis?.stop();
    await database?.close();
  });

  /** A household with one child and an approved mother, and a call that ran from 12:15 + 20 min × n (Beijing). */
  async function pastCall(options: { smsOptOut?: boolean } = {}): Promise<BookingRecord> {
    const db = database.db;
    calls += 1;
    const household = await createHousehold(db, homeId, { name: `家${calls}` });
    const child = await createChild(db, homeId, { householdId: household.id, familyName: '王', givenName: '小明' });
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: '李秀英',
      relation: 'mother',
      phone: `+86139${String(10_000_000 + calls).slice(-8)}`,
      smsOptOut: options.smsOptOut ?? false,
    });
    await updateContact(db, homeId, contact.id, { approvedBy: staffId, approvedAt: NOW }, NOW);
    const start = new Date(Date.parse('2026-11-18T04:15:00Z') + calls * 20 * 60_000);
    const created = await createBooking(db, {
      homeId,
      kioskId,
      householdId: household.id,
      contactId: contact.id,
      childIds: [child.id],
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now: new Date(start.getTime() - 86_400_000),
    });
    if (!created.ok) throw new Error(created.reason);
    return created.booking;
  }

  let eventCount = 0;
  /** Stores a stay as LiveKit's join and leave webhooks (seconds from the call's start). */
  async function stay(booking: BookingRecord, identity: string, from: number, to: number): Promise<void> {
    const joinedAt = new Date(booking.start.getTime() + from * 1000);
    for (const [providerType, at] of [
      ['participant_joined', joinedAt],
      ['participant_left', new Date(booking.start.getTime() + to * 1000)],
    ] as const) {
      eventCount += 1;
      await storeWebhookEventOnce(database.db, {
        source: 'livekit',
        eventId: `EV_outcome${eventCount}`,
        eventType: providerType,
        subject: booking.id,
        payload: {
          type: providerType === 'participant_joined' ? 'participant-joined' : 'participant-left',
          providerType,
          occurredAt: at.toISOString(),
          roomName: booking.id,
          bookingId: booking.id,
          homeId,
          participant: { identity, kind: participantKindOf(identity), joinedAt: joinedAt.toISOString() },
        },
        now: at,
      });
    }
  }

  function contextOf(booking: BookingRecord, callRooms: CallRooms | null = null): BookingStepContext {
    return {
      db: database.db,
      callRooms,
      phoneBridge: null,
      smsQueue,
      now: () => NOW,
      logger,
      bookingEvents: createJobBookingEvents({
        db: database.db,
        now: () => NOW,
        logger,
        queues: { lifecycleQueue, smsQueue },
      }),
      booking,
      step: {
        id: 'stp_0000000000000000',
        bookingId: booking.id,
        kind: 'decide-outcome',
        bookingVersion: booking.version,
        dueAt: booking.end,
        attempts: 1,
      },
    };
  }

  async function offersFor(booking: BookingRecord): Promise<BookingRecord[]> {
    const all = await listBookingsOfHousehold(database.db, homeId, booking.householdId);
    return all.filter((b) => b.createdBy === booking.id);
  }

  it('completes a call with 60 s together: booking completed, version bumped, no SMS', async () => {
    const booking = await pastCall();
    await stay(booking, `kid:${booking.childIds[0]}`, 0, 60);
    await stay(booking, `parent:${booking.contactId}`, 0, 600);
    expect(await decideOutcomeStep(contextOf(booking))).toEqual({ kind: 'done', outcome: 'completed' });
    expect(await getBooking(database.db, homeId, booking.id)).toMatchObject({
      status: 'completed',
      version: booking.version + 1,
    });
    expect(await getCallLog(database.db, homeId, booking.id)).toMatchObject({
      outcome: 'completed',
      overlapSeconds: 60,
    });
    expect(await findSmsByDedupeKey(database.db, missedCallSmsKey(booking.id, booking.version + 1))).toBeNull();
    expect(await offersFor(booking)).toEqual([]);
  });

  it('does not complete a call with 59 s together; both came, so nobody is offered anything', async () => {
    const booking = await pastCall();
    await stay(booking, `kid:${booking.childIds[0]}`, 0, 59);
    await stay(booking, `parent:${booking.contactId}`, 0, 600);
    expect(await decideOutcomeStep(contextOf(booking))).toEqual({ kind: 'done', outcome: 'failed' });
    expect(await getBooking(database.db, homeId, booking.id)).toMatchObject({ status: 'missed' });
    expect(await offersFor(booking)).toEqual([]);
  });

  it('offers a parent who did not come a new time, held as a proposal, with one SMS', async () => {
    const booking = await pastCall();
    await stay(booking, `kid:${booking.childIds[0]}`, 10, 900);
    const outcome = await decideOutcomeStep(contextOf(booking));
    expect(outcome).toMatchObject({ kind: 'done', outcome: 'parent-no-show' });
    const missed = await getBooking(database.db, homeId, booking.id);
    expect(missed).toMatchObject({ status: 'missed', version: booking.version + 1 });
    const [offer, ...more] = await offersFor(booking);
    expect(more).toEqual([]);
    // The earliest slot an hour from now (18:00 in Beijing): 19:00.
    expect(offer).toMatchObject({
      status: 'proposed',
      source: 'auto',
      contactId: booking.contactId,
      childIds: booking.childIds,
      start: new Date('2026-11-18T11:00:00Z'),
    });
    expect(outcome).toMatchObject({ note: `offered ${offer?.id}` });
    const sms = await findSmsByDedupeKey(database.db, `${booking.id}-missed-v${booking.version + 1}`);
    expect(sms).toMatchObject({
      template: 'call-missed-offer-new-time',
      status: 'pending',
      bookingId: booking.id,
      contactId: booking.contactId,
    });
    expect(sms?.body).toMatch(
      /^小明11月18日周三\d\d:\d\d的通话未接通。新时间11月18日周三19:00，.*【某某小学留守儿童之家】$/,
    );
    expect(await smsQueue.getJob(sms!.id)).toBeDefined();
    // Run again (a retry after a crash at the very end): nothing new.
    expect(await decideOutcomeStep(contextOf(booking))).toMatchObject({ kind: 'done', outcome: 'booking-moved-on' });
    expect(await offersFor(booking)).toHaveLength(1);
  });

  it('holds a new time but sends no SMS to a parent who opted out', async () => {
    const booking = await pastCall({ smsOptOut: true });
    await stay(booking, `kid:${booking.childIds[0]}`, 0, 900);
    const outcome = await decideOutcomeStep(contextOf(booking));
    expect(outcome).toMatchObject({ kind: 'done', outcome: 'parent-no-show' });
    expect(outcome).toMatchObject({ note: expect.stringContaining('(no sms)') });
    expect(await offersFor(booking)).toHaveLength(1);
    expect(await findSmsByDedupeKey(database.db, missedCallSmsKey(booking.id, booking.version + 1))).toBeNull();
  });

  it('marks a child no-show missed and offers the parent who came nothing', async () => {
    const booking = await pastCall();
    await stay(booking, `parent:${booking.contactId}`, 0, 900);
    expect(await decideOutcomeStep(contextOf(booking))).toEqual({ kind: 'done', outcome: 'child-no-show' });
    expect(await getBooking(database.db, homeId, booking.id)).toMatchObject({ status: 'missed' });
    expect(await offersFor(booking)).toEqual([]);
  });

  it('marks a call nobody came to failed, and offers the parent a new time', async () => {
    const booking = await pastCall();
    expect(await decideOutcomeStep(contextOf(booking))).toMatchObject({ kind: 'done', outcome: 'failed' });
    expect(await getCallLog(database.db, homeId, booking.id)).toMatchObject({
      outcome: 'failed',
      startedAt: null,
      endedAt: null,
    });
    expect(await offersFor(booking)).toHaveLength(1);
    expect(await findSmsByDedupeKey(database.db, missedCallSmsKey(booking.id, booking.version + 1))).not.toBeNull();
  });

  it('counts the time together across a reconnect in the middle', async () => {
    const booking = await pastCall();
    const kid = `kid:${booking.childIds[0]}`;
    await stay(booking, kid, 0, 40);
    await stay(booking, kid, 50, 80);
    await stay(booking, `phone:${booking.contactId}`, 0, 900);
    expect(await decideOutcomeStep(contextOf(booking))).toEqual({ kind: 'done', outcome: 'completed' });
    expect(await getCallLog(database.db, homeId, booking.id)).toMatchObject({ overlapSeconds: 70 });
  });

  it('leaves a booking that moved on as it is', async () => {
    const booking = await pastCall();
    await stay(booking, `kid:${booking.childIds[0]}`, 0, 900);
    const stale = { ...booking, version: booking.version - 1 };
    const context = contextOf(booking);
    expect(await decideOutcomeStep({ ...context, step: { ...context.step, bookingVersion: stale.version } })).toEqual({
      kind: 'done',
      outcome: 'booking-moved-on',
      note: 'parent-no-show',
    });
    expect(await getBooking(database.db, homeId, booking.id)).toMatchObject({ status: 'confirmed' });
    expect(await offersFor(booking)).toEqual([]);
  });

  it('closes the room counting whoever is still in it until now, and a retry changes nothing', async () => {
    const booking = await pastCall();
    const rooms = new InMemoryCallRooms();
    await rooms.openRoom({ bookingId: booking.id, homeId, emptyTimeoutSeconds: 60, maxParticipants: 4 });
    const kid = `kid:${booking.childIds[0]}`;
    // The kiosk said the child came at 0 s; LiveKit's webhooks were lost; both are still in the room at the close.
    await recordKioskPresence(database.db, {
      homeId,
      bookingId: booking.id,
      identity: kid,
      joinedAt: booking.start,
      leftAt: null,
      now: booking.start,
    });
    rooms.join(booking.id, kid, new Date(booking.start.getTime() + 2_000));
    rooms.join(booking.id, `parent:${booking.contactId}`, new Date(booking.start.getTime() + 30_000));
    rooms.join(booking.id, '+8613800138000', new Date(booking.start.getTime() + 30_000));
    const closing = { ...contextOf(booking, rooms), now: () => booking.end };
    expect(await closeRoomStep(closing)).toEqual({ kind: 'done', outcome: 'closed', note: '3 still in the room' });
    expect(rooms.closed).toEqual([booking.id]);
    const log = await getCallLog(database.db, homeId, booking.id);
    expect(log).toMatchObject({ overlapSeconds: 870, endedAt: booking.end });
    expect(JSON.stringify(log?.participants)).not.toContain('+8613800138000');
    expect(log?.participants).toEqual([
      { identity: kid, source: 'kiosk-report', joinedAt: booking.start.toISOString(), leftAt: null },
      {
        source: 'room-api',
        closedAt: booking.end.toISOString(),
        present: [
          { identity: kid, joinedAt: new Date(booking.start.getTime() + 2_000).toISOString() },
          {
            identity: `parent:${booking.contactId}`,
            joinedAt: new Date(booking.start.getTime() + 30_000).toISOString(),
          },
        ],
      },
      expect.objectContaining({ identity: kid, from: 'livekit', seconds: 898 }),
      expect.objectContaining({ identity: `parent:${booking.contactId}`, from: 'livekit', seconds: 870 }),
    ]);
    expect(await closeRoomStep({ ...closing, now: () => new Date(booking.end.getTime() + 60_000) })).toMatchObject({
      kind: 'done',
      outcome: 'already-closed',
    });
    expect(await getCallLog(database.db, homeId, booking.id)).toEqual(log);
  });
});

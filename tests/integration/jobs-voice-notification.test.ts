import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  listBookingSteps,
  schema,
  updateContact,
} from '@affection/db';
import {
  type BookingLifecycleProducer,
  createBookingLifecycleProducer,
  createProducerConnection,
  type LifecycleTimings,
  type RunningWorkers,
  startWorkers,
} from '@affection/jobs';
import { AliyunVoiceNotifier, OutboxSmsSender } from '@affection/telephony';
import {
  createFakeAliyunVoice,
  type FakeAliyun,
  type FakeAliyunVoice,
  openTestDatabase,
  type RedisServer,
  startFakeAliyun,
  startRedis,
  type TestDatabase,
  waitUntil,
} from '@affection/test-support';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TTS_CODE = 'TTS_100001';
const SHOW_NUMBER = '057112345678';

/** A call in seconds: the room 2 s before the start, the parents' wait 1 s, the voice notification 0.5 s after it. */
const FAST: Partial<LifecycleTimings> = {
  reminderMs: 3_000,
  openRoomMs: 2_000,
  fallbackRingMs: 1_000,
  voiceNotifyAfterWaitMs: 500,
  warnEndMs: 1_000,
  closeGraceMs: 500,
  decideOutcomeMs: 1_000,
};

describe('voice notification through the lifecycle, two worker processes (PostgreSQL, real Redis, fake Alibaba Cloud)', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  let fake: FakeAliyun;
  let voice: FakeAliyunVoice;
  let workers: RunningWorkers[] = [];
  let producerConnection: Redis;
  let lifecycle: BookingLifecycleProducer;
  let homeId: string;
  let kioskIds: string[];
  let staffId: string;
  const quiet = () => {};

  beforeAll(async () => {
    [redis, database] = await Promise.all([startRedis(), openTestDatabase('postgres')]);
    voice = createFakeAliyunVoice({
      templates: {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Alibaba Cloud's TTS template syntax, as submitted.
        [TTS_CODE]: '您好，这里是亲情电话。${name}在学校等您通话，时间是${time}。请打开亲情电话加入；您马上来，请按1。',
      },
      showNumbers: [SHOW_NUMBER],
    });
    fake = await startFakeAliyun({ handlers: voice.handlers });
    const db = database.db;
    const home = await createHome(db, { name: '某某小学留守儿童之家', timeZone: 'Asia/Shanghai', slotMinutes: 1 });
    homeId = home.id;
    staffId = createId('staff');
    await db.insert(schema.staff).values({
      id: staffId,
      homeId,
      role: 'teacher',
      displayName: '王老师',
      username: `t-${staffId}`,
      passwordHash: 'x',
    });
    kioskIds = Array.from({ length: 4 }, () => createId('kiosk'));
    await db.insert(schema.kiosks).values(kioskIds.map((id, i) => ({ id, homeId, name: `${i + 1}号机` })));
    // Two worker processes' worth of workers on one database and Redis, each with its own notifier.
    for (const workerId of ['voice-1', 'voice-2']) {
      workers.push(
        await startWorkers({
          redisUrl: redis.url,
          workerId,
          logger: { info: quiet, warn: quiet, error: quiet },
          db,
          smsSender: new OutboxSmsSender({ db }),
          smsProvider: 'outbox',
          voiceNotifier: new AliyunVoiceNotifier({
            accessKeyId: fake.accessKeyId,
            accessKeySecret: fake.accessKeySecret,
            showNumber: SHOW_NUMBER,
            templates: { 'parent-awaited': TTS_CODE },
            endpoint: fake.endpoint,
            protocol: 'http',
          }),
          lifecycle: { timings: FAST, backoffMs: 200, backoffMaxMs: 2_000 },
        }),
      );
    }
    producerConnection = createProducerConnection(redis.url);
    producerConnection.on('error', quiet);
    lifecycle = createBookingLifecycleProducer({
      connection: producerConnection,
      db,
      now: () => new Date(),
      logger: { info: quiet, warn: quiet, error: quiet },
      timings: FAST,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    workers = [];
    await lifecycle?.close();
    producerConnection?.disconnect();
    await fake?.close();
    await database?.close();
    await redis?.stop();
  });

  let households = 0;
  async function phoneOnlyFamily(phone: string) {
    const db = database.db;
    households += 1;
    const household = await createHousehold(db, homeId, { name: `王家${households}` });
    const child = await createChild(db, homeId, { householdId: household.id, familyName: '王', givenName: '小明' });
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: '王奶奶',
      relation: 'grandmother',
      phone,
      channel: 'phone',
      phoneFallback: false,
    });
    const now = new Date();
    await updateContact(db, homeId, contact.id, { approvedBy: staffId, approvedAt: now }, now);
    return { householdId: household.id, childId: child.id, contactId: contact.id };
  }

  async function book(family: Awaited<ReturnType<typeof phoneOnlyFamily>>, start: Date, end: Date) {
    for (const kioskId of kioskIds) {
      const result = await createBooking(database.db, {
        homeId,
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
  }

  const stepOf = async (booking: BookingRecord) =>
    (await listBookingSteps(database.db, booking.id)).find((s) => s.kind === 'voice-notify');

  it('calls a phone-only grandparent once when nobody can ring them into the room, signed, with the child and time', {
    timeout: 60_000,
  }, async () => {
    const family = await phoneOnlyFamily('+8613912345001');
    const start = new Date(Date.now() + 3_000);
    // Long enough to be worth a call (a minute or more left when it falls due).
    const booking = await book(family, start, new Date(start.getTime() + 90_000));
    // Planned twice (two changes reported), run by whichever worker takes the job.
    await lifecycle.onBookingChanged(booking.id);
    await lifecycle.onBookingChanged(booking.id);
    await waitUntil(async () => (await stepOf(booking))?.state === 'done', {
      timeoutMs: 30_000,
      what: 'the voice-notify step done',
      describe: async () => JSON.stringify(await stepOf(booking)),
    });
    const calls = voice.calls.filter((c) => c.calledNumber === '13912345001');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params.name).toBe('小明');
    expect(fake.requests.every((r) => r.isSigned)).toBe(true);
    const [row] = await database.db
      .select()
      .from(schema.voiceNotifications)
      .where(eq(schema.voiceNotifications.bookingId, booking.id));
    expect(row).toMatchObject({ status: 'placed', providerCallId: calls[0]?.callId, attempts: 1 });
    expect((await stepOf(booking))?.lastError).toMatch(/^placed/);
  });

  it('holds the second call to the same number a minute, and the provider never refuses one', {
    timeout: 120_000,
  }, async () => {
    // One number, two households (a grandmother caring for two families' children): two calls at the same time.
    const first = await phoneOnlyFamily('+8613912345002');
    const second = await phoneOnlyFamily('+8613912345002');
    const start = new Date(Date.now() + 3_000);
    const a = await book(first, start, new Date(start.getTime() + 150_000));
    const b = await book(second, start, new Date(start.getTime() + 150_000));
    await lifecycle.onBookingChanged(a.id);
    await lifecycle.onBookingChanged(b.id);
    const bothDone = async () => (await stepOf(a))?.state === 'done' && (await stepOf(b))?.state === 'done';
    await waitUntil(bothDone, {
      timeoutMs: 100_000,
      what: 'both calls placed',
      describe: async () => JSON.stringify([await stepOf(a), await stepOf(b)]),
    });
    const calls = voice.calls.filter((c) => c.calledNumber === '13912345002');
    expect(calls).toHaveLength(2);
    const gap = (calls[1]?.placedAt.getTime() ?? 0) - (calls[0]?.placedAt.getTime() ?? 0);
    expect(gap).toBeGreaterThanOrEqual(60_000);
    expect(voice.refusedForCaps).toBe(0);
  });
});

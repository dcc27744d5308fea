import {
  createBooking,
  createDutyOverride,
  createHome,
  enrolKiosk,
  findSmsByDedupeKey,
  listBookings,
  listHomes,
  listStaff,
  renewKioskEnrolment,
  schema,
  seedHome,
} from '@affection/db';
import {
  createHomeSchedulesWorker,
  createJobBookingEvents,
  createProducerConnection,
  createWorkerConnection,
  dutyDigestKey,
  HOME_JOB_NAMES,
  type HomeJobServices,
  homeSchedulerId,
  type JobLogger,
  proposalSmsKey,
  proposeWeek,
  QUEUE_NAMES,
  SYNC_HOME_SCHEDULES_JOB,
  scheduleHomeJobs,
  sendDutyDigest,
  sendNoContactAlerts,
} from '@affection/jobs';
import {
  openTestDatabase,
  type RedisServer,
  startRedis,
  type TestDatabase,
  type TestDatabaseKind,
} from '@affection/test-support';
import { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const logger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };
const DAY_MS = 86_400_000;
/** Monday 16 November 2026, 07:30 in Beijing. */
const MONDAY_0730 = new Date('2026-11-15T23:30:00Z');

/** The hour and minute of an instant in a zone, and its ISO weekday. */
function wallClock(instant: Date, zone: string): { time: string; weekday: string } {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(instant);
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short' }).format(instant);
  return { time, weekday };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])("the Homes' repeatable jobs (%s)", (kind) => {
  let database: TestDatabase;
  let redis: RedisServer;
  let producer: ReturnType<typeof createProducerConnection>;
  let smsQueue: Queue;
  let lifecycleQueue: Queue;
  let homeId: string;
  let kioskIds: string[];
  /** Children no teacher is paired with (the seed pairs the first three children with each teacher). */
  let childIds: string[];
  let teachers: { id: string; phone: string | null; displayName: string }[];
  let clock = MONDAY_0730;
  let services: HomeJobServices;

  beforeAll(async () => {
    [database, redis] = await Promise.all([openTestDatabase(kind), startRedis()]);
    producer = createProducerConnection(redis.url);
    smsQueue = new Queue(QUEUE_NAMES.sms, { connection: producer });
    lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection: producer });
    const now = () => clock;
    const bookingEvents = createJobBookingEvents({
      db: database.db,
      now,
      logger,
      queues: { lifecycleQueue, smsQueue },
    });
    services = { db: database.db, smsQueue, now, bookingEvents };
    const db = database.db;
    const seeded = await seedHome(db, {
      name: '某某小学留守儿童之家',
      children: 60,
      kiosks: 2,
      teachers: 3,
      hashPassword: async (password) => `plain:${password}`,
      adminLogin: { username: 'admin', password: 'x' },
      teacherPassword: 'x',
      now: new Date(MONDAY_0730.getTime() - 40 * DAY_MS),
      seed: 7,
    });
    homeId = seeded.homeId;
    kioskIds = seeded.kioskIds;
    // Every child has been on the record for 30 days.
    await db
      .update(schema.children)
      .set({ createdAt: new Date(MONDAY_0730.getTime() - 30 * DAY_MS) })
      .where(eq(schema.children.homeId, homeId));
    const paired = new Set(
      (
        await db.select({ id: schema.pairings.childId }).from(schema.pairings).where(eq(schema.pairings.homeId, homeId))
      ).map((p) => p.id),
    );
    childIds = (
      await db.select({ id: schema.children.id }).from(schema.children).where(eq(schema.children.homeId, homeId))
    )
      .map((c) => c.id)
      .filter((id) => !paired.has(id))
      .sort();
    // The first two teachers (on duty Monday and Tuesday) gave their phone numbers; the third did not.
    const byLogin = (a: { username: string | null }, b: { username: string | null }) =>
      (a.username ?? '').localeCompare(b.username ?? '');
    const staff = (await listStaff(db, homeId)).filter((s) => s.role === 'teacher').sort(byLogin);
    const phones = ['+8613700000001', '+8613700000002'];
    for (const [i, member] of staff.entries()) {
      if (i >= phones.length) continue;
      await db.update(schema.staff).set({ phone: phones[i] }).where(eq(schema.staff.id, member.id));
    }
    teachers = (await listStaff(db, homeId))
      .filter((s) => s.role === 'teacher')
      .sort(byLogin)
      .map((s) => ({ id: s.id, phone: s.phone, displayName: s.displayName }));
  });
  afterAll(async () => {
    await smsQueue?.close();
    await lifecycleQueue?.close();
    producer?.disconnect();
    await redis?.stop();
    await database?.close();
  });

  async function householdOf(childId: string) {
    const [row] = await database.db
      .select({ householdId: schema.children.householdId })
      .from(schema.children)
      .where(eq(schema.children.id, childId));
    const [contact] = await database.db
      .select({ id: schema.contacts.id })
      .from(schema.contacts)
      .where(eq(schema.contacts.householdId, row!.householdId));
    return { householdId: row!.householdId, contactId: contact!.id };
  }

  async function book(childId: string, start: Date, status: 'confirmed' | 'completed' | 'cancelled', kiosk = 0) {
    const { householdId, contactId } = await householdOf(childId);
    const created = await createBooking(database.db, {
      homeId,
      kioskId: kioskIds[kiosk]!,
      householdId,
      contactId,
      childIds: [childId],
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      status,
      source: 'teacher',
      now: new Date(start.getTime() - DAY_MS),
    });
    if (!created.ok) throw new Error(created.reason);
    return created.booking;
  }

  it("texts the day's duty teacher the morning digest once: today's calls and the children not called", async () => {
    const db = database.db;
    // Today at 12:20 and 16:30 in Beijing, one cancelled, one tomorrow; and a call completed yesterday.
    await book(childIds[40]!, new Date('2026-11-16T04:20:00Z'), 'confirmed');
    await book(childIds[41]!, new Date('2026-11-16T08:30:00Z'), 'confirmed');
    await book(childIds[42]!, new Date('2026-11-16T05:00:00Z'), 'cancelled');
    await book(childIds[43]!, new Date('2026-11-17T04:20:00Z'), 'confirmed');
    await book(childIds[44]!, new Date('2026-11-15T04:20:00Z'), 'completed');
    // Someone without a phone is added to today's duty: nobody to text.
    await createDutyOverride(db, homeId, { date: '2026-11-16', staffId: teachers[2]!.id, kind: 'add' });

    const report = await sendDutyDigest(services, homeId);
    expect(report).toEqual({ date: '2026-11-16', callCount: 2, recipients: 1 });
    // Monday's duty is the first teacher.
    const sms = await findSmsByDedupeKey(db, dutyDigestKey(homeId, '2026-11-16', teachers[0]!.id));
    expect(sms).toMatchObject({
      toPhone: teachers[0]!.phone,
      template: 'duty-digest',
      status: 'pending',
      body: '11月16日值日：通话2个，首个12:20；59名孩子超过14天未通话。请打开亲情电话查看。【某某小学留守儿童之家】',
    });
    expect(await smsQueue.getJob(sms!.id)).toBeDefined();
    expect(await sendDutyDigest(services, homeId)).toEqual(report);
    const digests = await db.select().from(schema.smsMessages).where(eq(schema.smsMessages.template, 'duty-digest'));
    expect(digests).toHaveLength(1);
  });

  it('alerts each paired teacher with a phone about their children not called for 14 days, once per period', async () => {
    const db = database.db;
    const first = await sendNoContactAlerts(services, homeId);
    // 59 children waited 30 days; the first two teachers (with phones) are paired with three each.
    expect(first).toEqual({ children: 59, messages: 6 });
    const alerts = async () =>
      db
        .select()
        .from(schema.smsMessages)
        .where(and(eq(schema.smsMessages.template, 'no-contact-alert'), eq(schema.smsMessages.homeId, homeId)));
    const sent = await alerts();
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((m) => m.toPhone))).toEqual(new Set([teachers[0]!.phone, teachers[1]!.phone]));
    expect(sent[0]?.body).toMatch(/^.{2,4}已30天没和家人通话，请安排一次亲情电话。【某某小学留守儿童之家】$/);
    // The next morning: nothing new. Fourteen days later: the wait reached the next period, each teacher hears again.
    clock = new Date(MONDAY_0730.getTime() + DAY_MS);
    expect(await sendNoContactAlerts(services, homeId)).toEqual({ children: 59, messages: 6 });
    expect(await alerts()).toHaveLength(6);
    clock = new Date(MONDAY_0730.getTime() + 12 * DAY_MS);
    await sendNoContactAlerts(services, homeId);
    expect(await alerts()).toHaveLength(12);
    clock = MONDAY_0730;
  });

  it('proposes the coming week fairly on Sunday evening, as proposals the database accepts, each parent told', async () => {
    const db = database.db;
    // Sunday 22 November, 19:00 in Beijing.
    clock = new Date('2026-11-22T11:00:00Z');
    // One child already has a call next week.
    const already = await book(childIds[50]!, new Date('2026-11-24T04:00:00Z'), 'confirmed', 1);
    // The second kiosk waits for a new tablet (a fresh enrolment code): no proposal may go to it.
    const codeHash = 'jobs-repeatable-second-kiosk';
    const enrolmentExpiresAt = new Date(clock.getTime() + DAY_MS);
    await renewKioskEnrolment(db, homeId, kioskIds[1]!, { enrolmentCodeHash: codeHash, enrolmentExpiresAt });
    const report = await proposeWeek(services, homeId);
    expect(report?.week).toBe('2026-11-23');
    expect(report?.proposed).toBeGreaterThan(10);
    expect(report?.refused).toEqual({});
    const week = await listBookings(db, homeId, {
      from: new Date('2026-11-22T16:00:00Z'),
      to: new Date('2026-11-29T16:00:00Z'),
    });
    const proposals = week.filter((b) => b.status === 'proposed');
    expect(proposals).toHaveLength(report!.proposed);
    expect(proposals.every((b) => b.kioskId === kioskIds[0])).toBe(true);
    expect(proposals.every((b) => b.source === 'auto' && b.createdBy === null)).toBe(true);
    expect(proposals.flatMap((b) => b.childIds)).not.toContain(childIds[50]);
    expect(proposals.reduce((n, b) => n + b.childIds.length, 0)).toBe(report!.childrenReached);
    // Inside opening hours in Beijing, Monday to Friday.
    for (const b of proposals) {
      const { time, weekday } = wallClock(b.start, 'Asia/Shanghai');
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(weekday);
      expect(time >= '12:00' && time <= '17:30').toBe(true);
    }
    // A child at most once, a kiosk never twice at one time.
    const children = proposals.flatMap((b) => b.childIds);
    expect(new Set(children).size).toBe(children.length);
    const kioskSlots = [...proposals, already].map((b) => `${b.kioskId}@${b.start.toISOString()}`);
    expect(new Set(kioskSlots).size).toBe(kioskSlots.length);
    // Each parent is told (the seed's contacts are approved or not; none opted out).
    const told = await Promise.all(proposals.map((b) => findSmsByDedupeKey(db, proposalSmsKey(b.id, b.version))));
    expect(told.filter((m) => m !== null)).toHaveLength(report!.messages);
    expect(report!.messages).toBe(report!.proposed);
    expect(told[0]).toMatchObject({ template: 'call-proposed', bookingId: proposals[0]!.id });
    expect(told[0]?.body).toContain('请打开亲情电话确认。【某某小学留守儿童之家】');
    // Run again: the children reached are booked for the week, so nothing more.
    expect(await proposeWeek(services, homeId)).toMatchObject({ proposed: 0, messages: 0 });
    // The tablet enrols: the second kiosk takes calls again for the tests after this one.
    expect(await enrolKiosk(db, { enrolmentCodeHash: codeHash, deviceTokenHash: codeHash, now: clock })).not.toBeNull();
    clock = MONDAY_0730;
  });

  it("schedules each Home's jobs in the Home's own zone and runs them from the queue", async () => {
    const db = database.db;
    const madrid = await createHome(db, { name: 'Casa', timeZone: 'Europe/Madrid' });
    const connection = createProducerConnection(redis.url);
    const workerConnection = createWorkerConnection(redis.url);
    const queue = new Queue(QUEUE_NAMES.homeSchedules, { connection });
    const worker = createHomeSchedulesWorker({
      connection: workerConnection,
      queue,
      db,
      smsQueue,
      logger,
      now: () => clock,
    });
    try {
      await scheduleHomeJobs(queue, await listHomes(db));
      const schedulers = await queue.getJobSchedulers();
      for (const home of [
        { id: homeId, zone: 'Asia/Shanghai' },
        { id: madrid.id, zone: 'Europe/Madrid' },
      ]) {
        const byName = Object.fromEntries(
          HOME_JOB_NAMES.map((name) => [name, schedulers.find((s) => s.key === homeSchedulerId(name, home.id))]),
        );
        expect(byName['duty-digest']).toMatchObject({ pattern: '30 7 * * *', tz: home.zone });
        expect(wallClock(new Date(byName['duty-digest']!.next!), home.zone).time).toBe('07:30');
        expect(wallClock(new Date(byName['no-contact-alert']!.next!), home.zone).time).toBe('08:00');
        expect(wallClock(new Date(byName['weekly-proposals']!.next!), home.zone)).toEqual({
          time: '19:00',
          weekday: 'Sun',
        });
        expect(byName['duty-digest']!.next! - Date.now()).toBeLessThanOrEqual(DAY_MS);
      }
      // Upserting again changes nothing: still three schedulers per Home.
      await scheduleHomeJobs(queue, await listHomes(db));
      expect(await queue.getJobSchedulersCount()).toBe(6);

      // A job as a scheduler fires it: Tuesday's digest, for Tuesday's duty teacher.
      clock = new Date(MONDAY_0730.getTime() + DAY_MS);
      const done = new Promise<unknown>((resolve, reject) => {
        worker.on('completed', (job, result) => {
          if (job.id === 'test-digest') resolve(result);
        });
        worker.on('failed', (job, error) => {
          if (job?.id === 'test-digest') reject(error);
        });
      });
      await queue.add('duty-digest', { v: 1, homeId }, { jobId: 'test-digest' });
      expect(await done).toEqual({ date: '2026-11-17', callCount: 1, recipients: 1 });
      expect(await findSmsByDedupeKey(db, dutyDigestKey(homeId, '2026-11-17', teachers[1]!.id))).not.toBeNull();

      // The sync creates the schedulers of a Home added later.
      const later = await createHome(db, { name: '新之家', timeZone: 'Asia/Urumqi' });
      const synced = new Promise<unknown>((resolve) => {
        worker.on('completed', (job, result) => {
          if (job.id === 'test-sync') resolve(result);
        });
      });
      await queue.add(SYNC_HOME_SCHEDULES_JOB, {}, { jobId: 'test-sync' });
      expect(await synced).toEqual({ homes: 3 });
      expect(await queue.getJobScheduler(homeSchedulerId('duty-digest', later.id))).toMatchObject({
        tz: 'Asia/Urumqi',
      });
    } finally {
      clock = MONDAY_0730;
      await worker.close();
      await queue.close();
      connection.disconnect();
      workerConnection.disconnect();
    }
  });
});

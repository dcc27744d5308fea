import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createBookingEvents } from '@affection/bookings';
import type { SmsCountryPolicies, Weekday } from '@affection/core';
import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHousehold,
  getBooking,
  listAuditForSubject,
  listBookingSteps,
  listBookings,
  replaceAvailabilityWindows,
  replaceOpeningRules,
  updateContact,
} from '@affection/db';
import {
  type BookingLifecycleProducer,
  createBookingLifecycleProducer,
  createProducerConnection,
  decideOutcomeStep,
  type JobLogger,
  lifecycleKey,
  proposeWeek,
  QUEUE_NAMES,
} from '@affection/jobs';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The four writers that used to change bookings behind the booking layer's back (SMS reply, voice-menu cancel,
// weekly proposal, missed-call offer): each now plans the booking's lifecycle at once, with no reconciler running.

const AUTH_TOKEN = 'twilio-test-auth-token-0123456789';
const PUBLIC_URL = 'https://affection.example.org';
const HOME_NUMBER = '+15005550006';
const US_PARENT = '+15557654321';
/** Monday 7 September 2026, 12:00 in Shanghai. */
const NOW = new Date('2026-09-07T04:00:00Z');
const MIN = 60_000;
const POLICIES: SmsCountryPolicies = {
  byCallingCode: { '1': { allowsLinks: true, allowsReplies: true } },
  fallback: { allowsLinks: false, allowsReplies: false },
};
const quiet: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

let sidSeq = 0;
const newSid = (prefix: 'SM' | 'CA') => `${prefix}${(++sidSeq).toString(16).padStart(32, '0')}`;

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('former bypasses plan the lifecycle at once (%s)', (kind) => {
  let world: ApiWorld;
  let connection: Redis;
  let lifecycleQueue: Queue;
  let smsQueue: Queue;
  let producer: BookingLifecycleProducer;
  /** Booking ids the server's lifecycle hook was handed, in order. */
  const handed: string[] = [];
  let usContactId: string;
  let usHouseholdId: string;
  let usChildId: string;

  beforeAll(async () => {
    world = await createApiWorld(kind, {
      twilioAuthToken: AUTH_TOKEN,
      publicUrl: PUBLIC_URL,
      smsPolicies: POLICIES,
      onBookingChanged: async (bookingId) => {
        handed.push(bookingId);
        await producer.onBookingChanged(bookingId);
      },
    });
    world.setNow(NOW);
    const db = world.database.db;
    const homeId = world.a.home.id;
    connection = createProducerConnection(world.redisServer.url);
    connection.on('error', () => {});
    lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection });
    smsQueue = new Queue(QUEUE_NAMES.sms, { connection });
    lifecycleQueue.on('error', () => {});
    smsQueue.on('error', () => {});
    producer = createBookingLifecycleProducer({
      db,
      now: world.services.now,
      logger: quiet,
      queues: { lifecycleQueue, smsQueue },
    });
    // Open all day, every day; Home A's contact can take calls at any time (the proposals and the offer need slots).
    await replaceOpeningRules(
      db,
      homeId,
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '20:00' })),
    );
    await replaceAvailabilityWindows(
      db,
      homeId,
      world.a.contact.id,
      ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday: Weekday) => ({ weekday, startTime: '00:00', endTime: '23:59' })),
    );
    // A father abroad, where replies by SMS are allowed.
    const household = await createHousehold(db, homeId, { name: '陈家' });
    usHouseholdId = household.id;
    usChildId = (await createChild(db, homeId, { householdId: household.id, familyName: '陈', givenName: '小雨' })).id;
    const contact = await createContact(db, homeId, {
      householdId: household.id,
      name: '陈大伟',
      relation: 'father',
      phone: US_PARENT,
      timeZone: 'America/New_York',
    });
    await updateContact(db, homeId, contact.id, { approvedBy: world.a.admin.id, approvedAt: NOW }, NOW);
    usContactId = contact.id;
  });
  afterAll(async () => {
    await producer?.close();
    await lifecycleQueue?.close();
    await smsQueue?.close();
    connection?.disconnect();
    await world?.close();
  });

  /** A booking written straight into the database (a fixture: how it came to be is not under test). */
  async function seedBooking(
    who: 'a' | 'us',
    start: Date,
    status: BookingRecord['status'],
    minutes = 15,
  ): Promise<BookingRecord> {
    const a = world.a;
    const result = await createBooking(world.database.db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: who === 'a' ? a.household.id : usHouseholdId,
      contactId: who === 'a' ? a.contact.id : usContactId,
      childIds: who === 'a' ? [a.child.id] : [usChildId],
      start,
      end: new Date(start.getTime() + minutes * MIN),
      status,
      source: 'teacher',
      now: NOW,
    });
    if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
    return result.booking;
  }

  async function postTwilio(pathname: string, params: Record<string, string>): Promise<Response> {
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${pathname}`, params);
    return world.app.request(pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
  }

  const pendingKinds = async (bookingId: string, version: number) =>
    (await listBookingSteps(world.database.db, bookingId))
      .filter((step) => step.bookingVersion === version && step.state === 'pending')
      .map((step) => step.kind);

  it("an SMS reply '1' confirms the proposal and its calls' steps exist and are enqueued when the webhook answers", async () => {
    const proposal = await seedBooking('us', new Date(NOW.getTime() + 26 * 60 * MIN), 'proposed');
    expect(await listBookingSteps(world.database.db, proposal.id)).toEqual([]);
    const res = await postTwilio('/webhooks/twilio/sms', {
      MessageSid: newSid('SM'),
      AccountSid: `AC${'0'.repeat(32)}`,
      From: US_PARENT,
      To: HOME_NUMBER,
      Body: '1',
    });
    expect(res.status).toBe(200);
    expect(await getBooking(world.database.db, world.a.home.id, proposal.id)).toMatchObject({
      status: 'confirmed',
      version: 2,
    });
    expect(await pendingKinds(proposal.id, 2)).toEqual(
      expect.arrayContaining(['confirm-sms', 'reminder-day-before', 'open-room', 'decide-outcome']),
    );
    expect(await lifecycleQueue.getJob(lifecycleKey(proposal.id, 'open-room', 2))).toBeDefined();
    const trail = await listAuditForSubject(world.database.db, 'booking', proposal.id);
    expect(trail[0]).toMatchObject({ action: 'booking.confirm', actorKind: 'family', actorId: usContactId });
  });

  it("the voice menu's '2' cancels the next call and its planned steps are cancelled when the webhook answers", async () => {
    const booking = await seedBooking('a', new Date(NOW.getTime() + 48 * 60 * MIN), 'confirmed');
    await producer.onBookingChanged(booking.id);
    const planned = await pendingKinds(booking.id, 1);
    expect(planned).toEqual(expect.arrayContaining(['open-room', 'close-room', 'decide-outcome']));
    const res = await postTwilio('/webhooks/twilio/voice/menu', {
      CallSid: newSid('CA'),
      AccountSid: `AC${'0'.repeat(32)}`,
      From: world.a.contact.phone,
      To: HOME_NUMBER,
      CallStatus: 'in-progress',
      Direction: 'inbound',
      Digits: '2',
    });
    expect(res.status).toBe(200);
    expect(await getBooking(world.database.db, world.a.home.id, booking.id)).toMatchObject({
      status: 'cancelled',
      version: 2,
    });
    expect(handed).toContain(booking.id);
    const steps = await listBookingSteps(world.database.db, booking.id);
    expect(steps.filter((step) => step.state === 'pending')).toEqual([]);
    expect(steps.filter((step) => planned.includes(step.kind)).map((step) => step.lastError)).toEqual(
      planned.map(() => 'superseded by v2'),
    );
    expect(await lifecycleQueue.getJob(lifecycleKey(booking.id, 'open-room', 1))).toBeUndefined();
  });

  it('the weekly proposals hand each proposal to the planner as it is stored', async () => {
    const planned: string[] = [];
    const now = () => NOW;
    const bookingEvents = createBookingEvents({
      db: world.database.db,
      now,
      planLifecycle: async (bookingId) => {
        planned.push(bookingId);
        await producer.onBookingChanged(bookingId);
      },
    });
    const report = await proposeWeek({ db: world.database.db, smsQueue, now, bookingEvents }, world.a.home.id);
    expect(report?.proposed).toBeGreaterThan(0);
    const proposals = (
      await listBookings(world.database.db, world.a.home.id, {
        from: NOW,
        to: new Date(NOW.getTime() + 14 * 24 * 60 * MIN),
        statuses: ['proposed'],
      })
    ).filter((b) => b.source === 'auto');
    expect(proposals).toHaveLength(report?.proposed ?? -1);
    expect(planned.sort()).toEqual(proposals.map((b) => b.id).sort());
    for (const proposal of proposals) {
      // A proposal gets no steps until the parent confirms; the plan of its version is made (and empty).
      expect(await listBookingSteps(world.database.db, proposal.id)).toEqual([]);
      const trail = await listAuditForSubject(world.database.db, 'booking', proposal.id);
      expect(trail[0]).toMatchObject({ action: 'booking.propose', actorKind: 'system', actorId: null });
    }
  });

  it('a missed call ends its booking and offers a new time, both planned when the step returns', async () => {
    const missed = await seedBooking('us', new Date(NOW.getTime() - 20 * MIN), 'confirmed');
    await producer.onBookingChanged(missed.id);
    expect(await pendingKinds(missed.id, 1)).toEqual(['close-room', 'decide-outcome']);
    const planned: string[] = [];
    const bookingEvents = createBookingEvents({
      db: world.database.db,
      now: () => NOW,
      planLifecycle: async (bookingId) => {
        planned.push(bookingId);
        await producer.onBookingChanged(bookingId);
      },
    });
    const outcome = await decideOutcomeStep({
      db: world.database.db,
      callRooms: null,
      phoneBridge: null,
      smsQueue,
      now: () => NOW,
      logger: quiet,
      bookingEvents,
      booking: missed,
      step: {
        id: 'stp_0000000000000000',
        bookingId: missed.id,
        kind: 'decide-outcome',
        bookingVersion: 1,
        dueAt: missed.end,
        attempts: 1,
      },
    });
    expect(outcome).toMatchObject({ kind: 'done', outcome: 'failed' });
    expect(await getBooking(world.database.db, world.a.home.id, missed.id)).toMatchObject({
      status: 'missed',
      version: 2,
    });
    const offerId = /offered (bkg_\w+)/.exec(outcome.kind === 'done' ? (outcome.note ?? '') : '')?.[1];
    expect(offerId).toBeDefined();
    expect(planned).toEqual([missed.id, offerId]);
    // The missed booking's plan ran at once: what was still pending of its old version is cancelled.
    expect(await pendingKinds(missed.id, 1)).toEqual([]);
    const offerTrail = await listAuditForSubject(world.database.db, 'booking', offerId ?? '');
    expect(offerTrail[0]).toMatchObject({ action: 'booking.offer', actorKind: 'system' });
    const missTrail = await listAuditForSubject(world.database.db, 'booking', missed.id);
    expect(missTrail[0]).toMatchObject({ action: 'booking.miss', actorKind: 'system' });
  });
});

describe('the booking layer is the only writer of bookings', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const WRITES = [
    'createBooking',
    'rescheduleBooking',
    'setBookingStatus',
    'cancelBooking',
    'cancelSeries',
    'endCallBooking',
    'addSecondBookingContact',
  ];

  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      if (entry === 'node_modules' || entry === 'dist') return [];
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return sourceFiles(full);
      return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) && entry !== 'test-fixtures.ts' ? [full] : [];
    });
  }

  it('imports no booking write of the database outside packages/bookings (and db itself)', () => {
    const offenders: string[] = [];
    const dirs = ['apps', 'packages', 'scripts'].map((d) => path.join(root, d));
    for (const file of dirs.flatMap(sourceFiles)) {
      const rel = path.relative(root, file);
      if (
        rel.startsWith(`packages${path.sep}bookings${path.sep}`) ||
        rel.startsWith(`packages${path.sep}db${path.sep}`)
      ) {
        continue;
      }
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@affection\/db'/g)) {
        const names = (match[1] ?? '').split(',').map(
          (n) =>
            n
              .replace(/^\s*type\s+/, '')
              .trim()
              .split(/\s+as\s+/)[0],
        );
        for (const name of names) if (name && WRITES.includes(name)) offenders.push(`${rel}: ${name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds such an import where there is one (the check can fail)', () => {
    const text = "import { type Db, createBooking as write } from '@affection/db';";
    const match = /import\s*\{([^}]*)\}\s*from\s*'@affection\/db'/.exec(text);
    const names = (match?.[1] ?? '').split(',').map(
      (n) =>
        n
          .replace(/^\s*type\s+/, '')
          .trim()
          .split(/\s+as\s+/)[0],
    );
    expect(names.filter((n) => n && WRITES.includes(n))).toEqual(['createBooking']);
  });
});

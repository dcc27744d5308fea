import { randomUUID } from 'node:crypto';
import { getBookingStep, insertBookingSteps, listBookingSteps } from '@affection/db';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobLogger } from '../job-logger.ts';
import { planBooking } from './plan-booking.ts';
import { type RunBookingStepOptions, runBookingStep } from './run-step.ts';
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

describe('ring-back: the voice menu rings the number on file instead of bridging a caller (PGlite)', () => {
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

  /** A planned call under way (started 5 minutes ago, 15 long) with a ring-back asked for now. */
  async function ringBackAsked() {
    const db = database.db;
    const start = new Date(Date.now() - 5 * MIN);
    const family = await seedTestFamily(db, home);
    const booking = await bookTestCall(db, home, family, {
      start,
      end: new Date(start.getTime() + 15 * MIN),
      now: new Date(start.getTime() - 60 * MIN),
    });
    await planBooking({ db, now: new Date(start.getTime() - 60 * MIN) }, booking.id);
    const now = new Date();
    const [step] = await insertBookingSteps(
      db,
      [{ bookingId: booking.id, kind: 'ring-back', bookingVersion: booking.version, dueAt: now }],
      now,
    );
    if (!step) throw new Error('no ring-back step');
    const rooms = new InMemoryCallRooms();
    const phones = new ScriptedPhoneBridge();
    const options: RunBookingStepOptions = {
      db,
      callRooms: rooms,
      phoneBridge: phones,
      smsQueue,
      lifecycleQueue,
      now: () => now,
      logger,
      handlers: BOOKING_STEP_HANDLERS,
    };
    return { booking, family, step, rooms, phones, options, now };
  }

  it('rings the contact’s number on file into the room for the rest of the call', async () => {
    const { booking, family, step, phones, options, now } = await ringBackAsked();
    phones.answers.push({ outcome: 'answered', participantIdentity: `phone:${family.contactId}`, callId: 'SC_1' });
    expect(await runBookingStep(options, step.id)).toEqual({ kind: 'done', note: 'answered' });
    expect(phones.rings).toEqual([
      expect.objectContaining({
        bookingId: booking.id,
        contactId: family.contactId,
        maxDurationSeconds: Math.floor((booking.end.getTime() - now.getTime()) / 1000),
      }),
    ]);
    // Once per booking version: asking again adds no second ring.
    expect(
      await insertBookingSteps(
        database.db,
        [{ bookingId: booking.id, kind: 'ring-back', bookingVersion: booking.version, dueAt: now }],
        now,
      ),
    ).toEqual([]);
    expect((await listBookingSteps(database.db, booking.id)).filter((s) => s.kind === 'ring-back')).toHaveLength(1);
  });

  it('does not ring a contact who is in the room already', async () => {
    const { booking, family, step, rooms, phones, options } = await ringBackAsked();
    rooms.join(booking.id, `parent:${family.contactId}`);
    expect(await runBookingStep(options, step.id)).toMatchObject({ kind: 'done' });
    expect(phones.rings).toEqual([]);
    expect((await getBookingStep(database.db, step.id))?.lastError).toMatch(/^not-needed/);
  });
});

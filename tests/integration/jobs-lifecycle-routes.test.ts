import { createId, listBookingSteps, listSmsOfBooking, schema } from '@affection/db';
import { createBookingLifecycleProducer, createProducerConnection, QUEUE_NAMES } from '@affection/jobs';
import { type ApiWorld, createApiWorld, getFreeTcpPort, type TestDatabaseKind } from '@affection/test-support';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface SlotsBody {
  slots: { start: string }[];
}

const MIN = 60_000;

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('booking routes plan the lifecycle (%s)', (kind) => {
  let world: ApiWorld;
  let connection: Redis;
  let lifecycleQueue: Queue;
  const warnings: string[] = [];

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    const homeId = world.a.home.id;
    // Open all day, every day, so that a slot a few hours from now exists whenever the test runs.
    await db.insert(schema.openingRules).values(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        id: createId('openingRule'),
        homeId,
        weekday,
        startTime: '00:00',
        endTime: '23:59',
      })),
    );
    connection = createProducerConnection(world.redisServer.url);
    connection.on('error', () => {});
    const producer = createBookingLifecycleProducer({
      connection,
      db,
      now: world.services.now,
      logger: { info: () => {}, warn: (_fields, message) => warnings.push(message), error: () => {} },
    });
    world.services.onBookingChanged = producer.onBookingChanged;
    lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection });
  });
  afterAll(async () => {
    await lifecycleQueue?.close();
    connection?.disconnect();
    await world?.close();
  });

  async function slotsFrom(from: Date): Promise<Date[]> {
    const to = new Date(from.getTime() + 6 * 60 * MIN);
    const query = `householdId=${world.a.household.id}&contactId=${world.a.contact.id}&from=${from.toISOString()}&to=${to.toISOString()}&anyTime=true`;
    const res = await world.request(`/api/bookings/available-slots?${query}`, { as: 'teacherA' });
    expect(res.status).toBe(200);
    return ((await res.json()) as SlotsBody).slots.map((s) => new Date(s.start));
  }

  it('plans a booking made, moved and cancelled through the API', async () => {
    const db = world.database.db;
    const [first, , , , later] = await slotsFrom(new Date(world.services.now().getTime() + 2 * 60 * MIN));
    expect(first && later).toBeTruthy();
    const made = await world.request('/api/bookings', {
      method: 'POST',
      as: 'teacherA',
      json: { householdId: world.a.household.id, contactId: world.a.contact.id, start: first!.toISOString() },
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    const v1 = await listBookingSteps(db, id);
    expect(v1.map((s) => s.kind)).toEqual([
      'confirm-sms',
      'reminder-15m',
      'open-room',
      'fallback-ring',
      'voice-notify',
      'kiosk-wait-limit',
      'warn-end',
      'close-room',
      'decide-outcome',
    ]);
    expect(v1.find((s) => s.kind === 'open-room')?.dueAt).toEqual(new Date(first!.getTime() - 5 * MIN));
    expect(await lifecycleQueue.getJob(`${id}-open-room-v1`)).toBeDefined();

    const moved = await world.request(`/api/bookings/${id}/reschedule`, {
      method: 'POST',
      as: 'teacherA',
      json: { start: later!.toISOString() },
    });
    expect(moved.status).toBe(200);
    const v2 = await listBookingSteps(db, id);
    expect(v2.filter((s) => s.bookingVersion === 1).every((s) => s.state === 'cancelled')).toBe(true);
    expect(v2.find((s) => s.kind === 'open-room' && s.bookingVersion === 2)?.dueAt).toEqual(
      new Date(later!.getTime() - 5 * MIN),
    );
    expect(await lifecycleQueue.getJob(`${id}-open-room-v1`)).toBeUndefined();

    const cancelled = await world.request(`/api/bookings/${id}/cancel`, {
      method: 'POST',
      as: 'teacherA',
      json: { reason: '家长临时加班' },
    });
    expect(cancelled.status).toBe(200);
    const v3 = await listBookingSteps(db, id);
    expect(v3.filter((s) => s.state === 'pending')).toEqual([]);
    // Nothing had reached the parent yet: no cancellation SMS, every pending message cancelled.
    const messages = await listSmsOfBooking(db, id);
    expect(messages.map((m) => m.status).every((status) => status === 'cancelled')).toBe(true);
  });

  it('answers the booking even when Redis cannot take the jobs; the plan is in the database for the reconciler', async () => {
    const db = world.database.db;
    const deadPort = await getFreeTcpPort();
    const dead = createProducerConnection(`redis://127.0.0.1:${deadPort}`);
    dead.on('error', () => {});
    const producer = createBookingLifecycleProducer({
      connection: dead,
      db,
      now: world.services.now,
      logger: { info: () => {}, warn: (_fields, message) => warnings.push(message), error: () => {} },
    });
    const previous = world.services.onBookingChanged;
    world.services.onBookingChanged = producer.onBookingChanged;
    try {
      const [slot] = await slotsFrom(new Date(world.services.now().getTime() + 4 * 60 * MIN));
      const made = await world.request('/api/bookings', {
        method: 'POST',
        as: 'teacherA',
        json: { householdId: world.a.household.id, contactId: world.a.contact.id, start: slot!.toISOString() },
      });
      expect(made.status).toBe(201);
      const { id } = (await made.json()) as { id: string };
      expect((await listBookingSteps(db, id)).map((s) => s.state)).toContain('pending');
      expect(warnings).toContain('booking lifecycle not planned now: the reconciler will');
    } finally {
      world.services.onBookingChanged = previous;
      dead.disconnect();
    }
  });
});

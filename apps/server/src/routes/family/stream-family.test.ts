import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHousehold,
  updateContact,
} from '@affection/db';
import { createHomeChangeFeed } from '@affection/jobs';
import { type ApiWorld, createApiWorld, type TestDatabaseKind, type WorldHome } from '@affection/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MINUTE = 60_000;

/** Reads server-sent events from a streaming response, one at a time (heartbeat comments skipped). */
function sseReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ event: string; data: string }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end !== -1) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          if (lines.every((line) => line.startsWith(':'))) continue;
          const field = (name: string) =>
            lines
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim();
          return { event: field('event') ?? 'message', data: field('data') ?? '' };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

/** Another household of a Home, with one child and one approved contact. */
async function addFamily(world: ApiWorld, home: WorldHome, name: string) {
  const db = world.database.db;
  const now = world.services.now();
  const household = await createHousehold(db, home.home.id, { name: `${name}家` });
  const child = await createChild(db, home.home.id, { householdId: household.id, familyName: name, givenName: '小红' });
  const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const contact = await createContact(db, home.home.id, {
    householdId: household.id,
    name: `${name}妈妈`,
    relation: 'mother',
    phone,
  });
  await updateContact(db, home.home.id, contact.id, { approvedBy: home.admin.id, approvedAt: now }, now);
  return { household, child, contact };
}

async function book(
  world: ApiWorld,
  home: WorldHome,
  family: { household: { id: string }; child: { id: string }; contact: { id: string } },
  start: Date,
): Promise<BookingRecord> {
  const result = await createBooking(world.database.db, {
    homeId: home.home.id,
    kioskId: home.kiosk.id,
    householdId: family.household.id,
    contactId: family.contact.id,
    childIds: [family.child.id],
    start,
    end: new Date(start.getTime() + 15 * MINUTE),
    status: 'confirmed',
    source: 'teacher',
    now: world.services.now(),
  });
  if (!result.ok) throw new Error(`fixture booking refused: ${result.reason}`);
  return result.booking;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('family live updates (%s)', (kind) => {
  let world: ApiWorld;
  let subscriber: Redis;
  let publisher: Redis;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    subscriber = new Redis(world.redisServer.url);
    publisher = new Redis(world.redisServer.url);
    world.services.homeChanges = createHomeChangeFeed({ subscriber, publisher });
  }, 120_000);
  afterAll(async () => {
    subscriber?.disconnect();
    publisher?.disconnect();
    await world?.close();
  });

  it("streams `changed` for the parent's own household only, soon after a booking changes through the API", async () => {
    const now = world.services.now();
    const ours = await book(world, world.a, world.a, new Date(now.getTime() + 3 * 60 * MINUTE));
    const neighbour = await addFamily(world, world.a, '陈');
    const theirs = await book(world, world.a, neighbour, new Date(now.getTime() + 4 * 60 * MINUTE));
    const oursB = await book(world, world.b, world.b, new Date(now.getTime() + 3 * 60 * MINUTE));

    const streamA = await world.request('/api/family/stream', { as: 'familyA' });
    const streamB = await world.request('/api/family/stream', { as: 'familyB' });
    expect(streamA.status).toBe(200);
    expect(streamA.headers.get('content-type')).toContain('text/event-stream');
    const a = sseReader(streamA);
    const b = sseReader(streamB);
    try {
      expect((await a.next()).event).toBe('ready');
      expect((await b.next()).event).toBe('ready');

      // Another household's call changes first: the parent hears nothing of it.
      const other = await world.request(`/api/bookings/${theirs.id}/cancel`, {
        as: 'teacherA',
        json: { reason: '家长临时加班' },
      });
      expect(other.status).toBe(200);
      const started = performance.now();
      const cancelled = await world.request(`/api/bookings/${ours.id}/cancel`, {
        as: 'teacherA',
        json: { reason: '孩子生病' },
      });
      expect(cancelled.status).toBe(200);
      const event = await a.next();
      const ms = performance.now() - started;
      expect(event).toEqual({ event: 'changed', data: JSON.stringify({ bookingIds: [ours.id] }) });
      expect(ms).toBeLessThan(5_000);

      // Home B's parent hears nothing of Home A: their first change is their own.
      await world.services.homeChanges?.publish(world.b.home.id, { kind: 'booking', bookingId: oursB.id });
      expect(await b.next()).toEqual({ event: 'changed', data: JSON.stringify({ bookingIds: [oursB.id] }) });
      // A booking id of Home A published on Home B's channel is not Home B's parent's either.
      await world.services.homeChanges?.publish(world.b.home.id, { kind: 'booking', bookingId: ours.id });
      await world.services.homeChanges?.publish(world.b.home.id, { kind: 'call', bookingId: oursB.id });
      expect(await b.next()).toEqual({ event: 'changed', data: JSON.stringify({ bookingIds: [oursB.id] }) });
    } finally {
      await a.cancel();
      await b.cancel();
    }
  });

  it('refuses anyone but a signed-in parent, and says `unavailable` without a change feed', async () => {
    expect((await world.request('/api/family/stream')).status).toBe(401);
    expect((await world.request('/api/family/stream', { as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/api/family/stream', { as: 'kioskA' })).status).toBe(403);
    const feed = world.services.homeChanges;
    world.services.homeChanges = null;
    try {
      const response = await world.request('/api/family/stream', { as: 'familyA' });
      expect(response.status).toBe(200);
      const reader = sseReader(response);
      expect((await reader.next()).event).toBe('unavailable');
      await expect(reader.next()).rejects.toThrow('the stream ended');
    } finally {
      world.services.homeChanges = feed;
    }
  });
});

import { randomBytes } from 'node:crypto';
import type { CallRoomEvent } from '@affection/core';
import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createKiosk,
  type Db,
  getCallLog,
  listWebhookEvents,
  schema,
  seededRandom,
  storeWebhookEventOnce,
} from '@affection/db';
import {
  closeRoomStep,
  createCallEventsWorker,
  createJobBookingEvents,
  createProducerConnection,
  createWorkerConnection,
  enqueueCallEvent,
  type JobLogger,
  processCallEvent,
  QUEUE_NAMES,
  updateCallLog,
} from '@affection/jobs';
import { LivekitCallRooms, LivekitWebhookVerifier } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  getFreeTcpPort,
  type LivekitServer,
  openTestDatabase,
  type RedisServer,
  startLivekit,
  startRedis,
  type TestDatabase,
  type TestDatabaseKind,
} from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { dispose, Room } from '@livekit/rtc-node';
import { Queue, type Worker } from 'bullmq';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const quietLogger: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** An event as the LiveKit webhook stores it in `webhook_events` (see the webhook handler's payload). */
interface StoredEvent {
  eventId: string;
  providerType: string;
  bookingId: string;
  payload: Record<string, unknown>;
  /** For the in-order delivery: when LiveKit sent it, to the millisecond, and its place among equals. */
  sentAtMs: number;
  seq: number;
}

const TYPES: Record<string, string> = {
  room_started: 'room-started',
  room_finished: 'room-finished',
  participant_joined: 'participant-joined',
  participant_left: 'participant-left',
  participant_connection_aborted: 'participant-connection-aborted',
  track_published: 'track-published',
};

/**
 * The webhooks LiveKit would send for one call: the room starting, the child at the kiosk (sometimes dropping out
 * and coming back), a parent on the family page and sometimes on the phone, camera tracks, leaving (sometimes the
 * leave is lost, sometimes the connection aborts), the room finishing. Event times in whole seconds as LiveKit
 * stamps them; join times to the millisecond.
 */
function callEvents(random: () => number, booking: BookingRecord, homeId: string, counter: { n: number }) {
  const start = booking.start.getTime();
  const end = booking.end.getTime();
  const events: StoredEvent[] = [];
  const at = (ms: number) => Math.round(ms);
  const push = (providerType: string, sentAtMs: number, participant?: { identity: string; joinedAtMs: number }) => {
    counter.n += 1;
    const kind = participant?.identity.startsWith('kid:')
      ? 'kiosk'
      : participant?.identity.startsWith('phone:')
        ? 'phone'
        : 'web';
    events.push({
      eventId: `EV_${randomBytes(6).toString('hex')}`,
      providerType,
      bookingId: booking.id,
      sentAtMs,
      seq: counter.n,
      payload: {
        type: TYPES[providerType],
        providerType,
        occurredAt: new Date(Math.floor(sentAtMs / 1000) * 1000).toISOString(),
        roomName: booking.id,
        bookingId: booking.id,
        homeId,
        participant: participant
          ? { identity: participant.identity, kind, joinedAt: new Date(participant.joinedAtMs).toISOString() }
          : null,
      },
    });
  };
  const stay = (identity: string, from: number, to: number | null, how: 'left' | 'aborted' | 'lost' = 'left') => {
    const joinedAtMs = at(from);
    push('participant_joined', joinedAtMs + 40, { identity, joinedAtMs });
    if (random() < 0.5) push('track_published', joinedAtMs + 900, { identity, joinedAtMs });
    if (to === null || how === 'lost') return;
    push(how === 'aborted' ? 'participant_connection_aborted' : 'participant_left', at(to), { identity, joinedAtMs });
  };
  const roomOpen = start - 5 * 60_000 + random() * 60_000;
  push('room_started', roomOpen);
  const kid = `kid:${booking.childIds[0]}`;
  const parent = `parent:${booking.contactId}`;
  const phone = `phone:${booking.contactId}`;
  const scenario = random();
  const kidComes = scenario < 0.85;
  const parentComes = scenario > 0.1 && scenario < 0.9;
  if (kidComes) {
    const joined = start - 60_000 + random() * 120_000;
    if (random() < 0.25) {
      // A reconnect in the middle.
      const drop = joined + 60_000 + random() * 300_000;
      stay(kid, joined, drop, random() < 0.5 ? 'aborted' : 'left');
      stay(kid, drop + 3_000 + random() * 20_000, end - random() * 60_000, random() < 0.15 ? 'lost' : 'left');
    } else {
      stay(kid, joined, joined + random() * (end - joined), random() < 0.1 ? 'lost' : 'left');
    }
  }
  if (parentComes) {
    const joined = start + random() * 240_000;
    stay(parent, joined, joined + random() * (end - joined), random() < 0.1 ? 'lost' : 'left');
  }
  if (random() < 0.3) {
    // Rung on the phone two minutes in.
    const answered = start + 120_000 + random() * 20_000;
    stay(phone, answered, answered + random() * (end - answered), 'left');
  }
  push('room_finished', end + random() * 30_000);
  return events;
}

/** Waits until a queue has nothing waiting, delayed or running — on the worker's own events, never on a timer. */
async function drained(queue: Queue, worker: Worker): Promise<void> {
  const names = ['drained', 'completed', 'failed'] as const;
  for (;;) {
    // Listen first, then look: a job finishing in between still wakes us.
    let stop = () => {};
    const next = new Promise<void>((resolve) => {
      const wake = () => {
        stop();
        resolve();
      };
      stop = () => {
        for (const name of names) worker.off(name, wake);
      };
      for (const name of names) worker.on(name, wake);
    });
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).every((n) => n === 0)) {
      stop();
      return;
    }
    await next;
  }
}

/** Each booking's call log as the console would read it (ids of the log rows aside). */
async function logsOf(db: Db, homeId: string, bookings: readonly BookingRecord[]) {
  const logs = new Map<string, unknown>();
  for (const booking of bookings) {
    const log = await getCallLog(db, homeId, booking.id);
    logs.set(
      booking.id,
      log && {
        outcome: log.outcome,
        startedAt: log.startedAt?.toISOString() ?? null,
        endedAt: log.endedAt?.toISOString() ?? null,
        overlapSeconds: log.overlapSeconds,
        participants: log.participants,
      },
    );
  }
  return logs;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])(
  'call logs from 100 calls of LiveKit webhooks, shuffled and delivered three times (%s)',
  (kind) => {
    const CALLS = 100;
    let redis: RedisServer;
    let database: TestDatabase;
    let homeId: string;
    const bookings: BookingRecord[] = [];
    const events: StoredEvent[] = [];

    beforeAll(async () => {
      [redis, database] = await Promise.all([startRedis(), openTestDatabase(kind)]);
      const db = database.db;
      const home = await createHome(db, { name: '测试之家' });
      homeId = home.id;
      const kiosk = await createKiosk(db, {
        homeId,
        name: '一号机',
        enrolmentCodeHash: randomBytes(16).toString('hex'),
        enrolmentExpiresAt: new Date(),
      });
      const first = Date.parse('2026-11-16T04:00:00Z');
      for (let i = 0; i < CALLS; i += 1) {
        const household = await createHousehold(db, homeId, { name: `家${i}` });
        const child = await createChild(db, homeId, { householdId: household.id, familyName: '王', givenName: `${i}` });
        const contact = await createContact(db, homeId, {
          householdId: household.id,
          name: `家长${i}`,
          relation: 'mother',
          phone: `+86138${String(10_000_000 + i).slice(-8)}`,
        });
        const start = new Date(first + i * 20 * 60_000);
        const created = await createBooking(db, {
          homeId,
          kioskId: kiosk.id,
          householdId: household.id,
          contactId: contact.id,
          childIds: [child.id],
          start,
          end: new Date(start.getTime() + 15 * 60_000),
          status: 'confirmed',
          source: 'teacher',
          now: new Date(first - 86_400_000),
        });
        if (!created.ok) throw new Error(created.reason);
        bookings.push(created.booking);
      }
      const random = seededRandom(20261116);
      const counter = { n: 0 };
      for (const booking of bookings) events.push(...callEvents(random, booking, homeId, counter));
    });
    afterAll(async () => {
      await redis?.stop();
      await database?.close();
    });

    async function store(db: Db, event: StoredEvent): Promise<string> {
      const stored = await storeWebhookEventOnce(db, {
        source: 'livekit',
        eventId: event.eventId,
        eventType: event.providerType,
        subject: event.bookingId,
        payload: event.payload,
        now: new Date(),
      });
      return stored.id;
    }

    async function forgetEverything(db: Db): Promise<void> {
      const ids = bookings.map((b) => b.id);
      const logIds = (
        await db.select({ id: schema.callLogs.id }).from(schema.callLogs).where(inArray(schema.callLogs.bookingId, ids))
      ).map((r) => r.id);
      if (logIds.length > 0) {
        await db.delete(schema.callLogChildren).where(inArray(schema.callLogChildren.callLogId, logIds));
        await db.delete(schema.callLogs).where(inArray(schema.callLogs.id, logIds));
      }
      await db.delete(schema.webhookEvents).where(eq(schema.webhookEvents.source, 'livekit'));
    }

    it('gives the same call logs as one in-order delivery', async () => {
      const db = database.db;
      // The reference: every event once, in the order LiveKit sent them, each folded before the next arrives.
      const inOrder = [...events].sort((a, b) => a.sentAtMs - b.sentAtMs || a.seq - b.seq);
      for (const event of inOrder) {
        const id = await store(db, event);
        const outcome = await processCallEvent({ db, now: () => new Date() }, id);
        expect(outcome.kind).toBe('folded');
      }
      const reference = await logsOf(db, homeId, bookings);

      // The reference is a rich one: calls together, calls alone, reconnects, phones, stays whose leave was lost.
      const all = [...reference.values()] as { overlapSeconds: number; participants: { periods: unknown[] }[] }[];
      expect(all.filter((log) => log.overlapSeconds >= 60).length).toBeGreaterThan(30);
      expect(all.filter((log) => log.overlapSeconds === 0).length).toBeGreaterThan(5);
      expect(all.some((log) => log.participants.some((p) => p.periods.length === 2))).toBe(true);
      expect(JSON.stringify(all)).toContain('"kind":"phone"');

      // Now from scratch: every event delivered three times, all shuffled, through the queue and its worker.
      await forgetEverything(db);
      const connection = createWorkerConnection(redis.url);
      const producer = createProducerConnection(redis.url);
      const queue = new Queue(QUEUE_NAMES.callEvents, { connection: producer });
      const worker = createCallEventsWorker({
        connection,
        db,
        queue,
        logger: quietLogger,
        now: () => new Date(),
        concurrency: 8,
      });
      let ran = 0;
      worker.on('completed', () => {
        ran += 1;
      });
      try {
        const deliveries = shuffle([...events, ...events, ...events], seededRandom(7));
        for (let i = 0; i < deliveries.length; i += 60) {
          await Promise.all(
            deliveries.slice(i, i + 60).map(async (event) => enqueueCallEvent(queue, await store(db, event))),
          );
        }
        await drained(queue, worker);
        expect(ran).toBeGreaterThanOrEqual(events.length);
        expect(await logsOf(db, homeId, bookings)).toEqual(reference);
        const unprocessed = (await listWebhookEvents(db, 'livekit')).filter((e) => e.processedAt === null);
        expect(unprocessed).toEqual([]);
      } finally {
        await worker.close();
        await queue.close();
        connection.disconnect();
        producer.disconnect();
      }
    }, 600_000);
  },
);

/** Calls of `onLivekitEvent`, with a way to wait for one. */
class LivekitHook {
  readonly events: CallRoomEvent[] = [];
  readonly #waiters: { predicate: (e: CallRoomEvent) => boolean; resolve: (e: CallRoomEvent) => void }[] = [];

  record(event: CallRoomEvent): void {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.predicate(event)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  }

  /** The first event matching, or the first one after `skip` earlier matches. */
  waitFor(predicate: (e: CallRoomEvent) => boolean, skip = 0): Promise<CallRoomEvent> {
    const found = this.events.filter(predicate)[skip];
    if (found) return Promise.resolve(found);
    let toSkip = skip - this.events.filter(predicate).length;
    return new Promise((resolve) =>
      this.#waiters.push({
        predicate: (e) => predicate(e) && toSkip-- <= 0,
        resolve,
      }),
    );
  }

  count(predicate: (e: CallRoomEvent) => boolean): number {
    return this.events.filter(predicate).length;
  }
}

describe('a call on a real LiveKit server, its webhooks folded through the queue (PGlite)', () => {
  const apiKey = `API${randomBytes(6).toString('hex')}`;
  const apiSecret = randomBytes(24).toString('hex');
  const hook = new LivekitHook();
  let world: ApiWorld;
  let server: ServerType;
  let livekit: LivekitServer;
  let rooms: LivekitCallRooms;
  let queue: Queue;
  let worker: Worker;
  const clients: Room[] = [];
  const connections: { disconnect(): void }[] = [];

  beforeAll(async () => {
    const port = await getFreeTcpPort();
    let enqueue: (id: string) => Promise<void> = async () => {};
    world = await createApiWorld('pglite', {
      livekitWebhooks: new LivekitWebhookVerifier({ apiKey, apiSecret }),
      onLivekitEvent: async (event, stored) => {
        await enqueue(stored.webhookEventId);
        hook.record(event);
      },
      publicUrl: `http://127.0.0.1:${port}`,
    });
    const producer = createProducerConnection(world.redisServer.url);
    const connection = createWorkerConnection(world.redisServer.url);
    connections.push(producer, connection);
    queue = new Queue(QUEUE_NAMES.callEvents, { connection: producer });
    enqueue = (id) => enqueueCallEvent(queue, id);
    worker = createCallEventsWorker({
      connection,
      db: world.database.db,
      queue,
      logger: quietLogger,
      now: () => new Date(),
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: world.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    livekit = await startLivekit({ webhookUrls: [`http://127.0.0.1:${port}/webhooks/livekit`], apiKey, apiSecret });
    rooms = new LivekitCallRooms({ url: livekit.httpUrl, apiKey, apiSecret });
  });
  afterAll(async () => {
    await Promise.all(clients.map((room) => room.disconnect()));
    await dispose();
    await worker?.close();
    await queue?.close();
    for (const c of connections) c.disconnect();
    await livekit?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await world?.close();
  });

  async function join(bookingId: string, subject: Parameters<LivekitCallRooms['issueJoinToken']>[0]['subject']) {
    const token = await rooms.issueJoinToken({ bookingId, subject });
    const isJoin = (e: CallRoomEvent) =>
      e.type === 'participant-joined' && e.roomName === bookingId && e.participant?.identity === token.identity;
    const earlier = hook.count(isJoin);
    const room = new Room();
    clients.push(room);
    await room.connect(livekit.wsUrl, token.token, { autoSubscribe: true, dynacast: false });
    const event = await hook.waitFor(isJoin, earlier);
    return { room, joinedAt: event.participant!.joinedAt };
  }

  it('logs who joined and left, a reconnect, who was still there at the close, and folds its replay the same', async () => {
    const db = world.database.db;
    const { a } = world;
    const now = new Date();
    const created = await createBooking(db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: a.household.id,
      contactId: a.contact.id,
      childIds: [a.child.id],
      start: new Date(now.getTime() - 60_000),
      end: new Date(now.getTime() + 14 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    if (!created.ok) throw new Error(created.reason);
    const booking = created.booking;
    await rooms.openRoom({ bookingId: booking.id, homeId: a.home.id, emptyTimeoutSeconds: 60, maxParticipants: 4 });

    const kid = await join(booking.id, { role: 'child', childId: a.child.id });
    const mum = await join(booking.id, { role: 'parent', contactId: a.contact.id });
    // Mum's network drops: she leaves and comes back.
    await mum.room.disconnect();
    await hook.waitFor(
      (e) =>
        e.type === 'participant-left' &&
        e.roomName === booking.id &&
        e.participant?.identity.startsWith('parent:') === true,
    );
    const mumAgain = await join(booking.id, { role: 'parent', contactId: a.contact.id });

    // The hard end: the close step sees both still in the room, keeps that, and closes it.
    const outcome = await closeRoomStep({
      db,
      callRooms: rooms,
      phoneBridge: null,
      smsQueue: queue,
      now: () => new Date(),
      logger: quietLogger,
      // The close step changes no booking: these events are never used.
      bookingEvents: createJobBookingEvents({
        db,
        now: () => new Date(),
        logger: quietLogger,
        queues: { lifecycleQueue: queue, smsQueue: queue },
      }),
      booking,
      step: { id: 'stp_test', bookingId: booking.id, kind: 'close-room', bookingVersion: 1, dueAt: now, attempts: 1 },
    });
    expect(outcome).toMatchObject({ kind: 'done', outcome: 'closed', note: '2 still in the room' });
    await hook.waitFor((e) => e.type === 'room-finished' && e.roomName === booking.id);
    await drained(queue, worker);

    const log = await getCallLog(db, a.home.id, booking.id);
    const summaries = (log?.participants ?? []).filter((p) => (p as { source: string }).source === 'call-log') as {
      identity: string;
      kind: string;
      periods: { joinedAt: string; leftAt: string | null }[];
    }[];
    expect(summaries.map((p) => [p.identity, p.kind, p.periods.length])).toEqual([
      [`kid:${a.child.id}`, 'kiosk', 1],
      [`parent:${a.contact.id}`, 'web', 2],
    ]);
    expect(summaries[0]?.periods[0]?.joinedAt).toBe(kid.joinedAt.toISOString());
    expect(summaries[1]?.periods.map((p) => p.joinedAt)).toEqual([
      mum.joinedAt.toISOString(),
      mumAgain.joinedAt.toISOString(),
    ]);
    expect(summaries.every((p) => p.periods.every((period) => period.leftAt !== null))).toBe(true);
    expect(log?.endedAt).not.toBeNull();
    const stored = (await listWebhookEvents(db, 'livekit')).filter((e) => e.subject === booking.id);
    expect(stored.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(['room_started', 'participant_joined', 'participant_left', 'room_finished']),
    );
    expect(stored.every((e) => e.processedAt !== null)).toBe(true);

    // The same webhooks and the same view at close, for a copy of the booking, shuffled and each delivered three
    // times: the same log.
    const copy = await createBooking(db, { ...booking, status: 'cancelled', source: 'teacher', now });
    if (!copy.ok) throw new Error(copy.reason);
    const roomView = (log?.participants ?? []).find((p) => (p as { source: string }).source === 'room-api') as {
      source: 'room-api';
      closedAt: string;
      present: { identity: string; joinedAt: string }[];
    };
    await updateCallLog(db, copy.booking.id, { now: new Date(), close: roomView });
    const replay = shuffle([...stored, ...stored, ...stored], seededRandom(42));
    for (const event of replay) {
      const payload = { ...(event.payload as Record<string, unknown>), roomName: copy.booking.id };
      const again = await storeWebhookEventOnce(db, {
        source: 'livekit',
        eventId: `${event.eventId}-copy`,
        eventType: event.eventType,
        subject: copy.booking.id,
        payload,
        now: new Date(),
      });
      await enqueueCallEvent(queue, again.id);
    }
    await drained(queue, worker);
    const copied = await getCallLog(db, a.home.id, copy.booking.id);
    expect(copied && { ...copied, id: log?.id }).toEqual(log);
  });
});

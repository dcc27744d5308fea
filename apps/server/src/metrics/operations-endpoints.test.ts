import { createBooking, createId, insertOutgoingSms, schema } from '@affection/db';
import { QUEUE_NAMES } from '@affection/jobs';
import { type ApiWorld, createApiWorld, openTestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import type { AppServices } from '../services.ts';
import { createServerMetrics } from './server-metrics.ts';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line (`name{labels} value`) in a text exposition, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2]!.split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return undefined;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('operations endpoints (%s)', (kind) => {
  let world: ApiWorld;
  let services: AppServices;
  let app: ReturnType<typeof createApp>;
  let connection: Redis;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    world = await createApiWorld(kind);
    services = { ...world.services, settings: { ...world.services.settings, metricsToken: TOKEN } };
    app = createApp(services);
    connection = new Redis(world.redisServer.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const db = world.database.db;
    const now = world.services.now();
    // SMS in both Homes: A has two sent and one failed, B one pending.
    const statuses = [
      [world.a, 'sent'],
      [world.a, 'sent'],
      [world.a, 'failed'],
      [world.b, 'pending'],
    ] as const;
    for (const [home, status] of statuses) {
      await insertOutgoingSms(db, { homeId: home.home.id, toPhone: home.contact.phone, body: '提醒', status, now });
    }
    // A call in progress in Home A (its room is open) and a finished one in Home B whose parent did not come.
    for (const [home, status, outcome, hoursAgo] of [
      [world.a, 'in-progress', null, 0],
      [world.b, 'missed', 'parent-no-show', 2],
    ] as const) {
      const start = new Date(now.getTime() - hoursAgo * 3_600_000 - 5 * 60_000);
      const booked = await createBooking(db, {
        homeId: home.home.id,
        kioskId: home.kiosk.id,
        householdId: home.household.id,
        contactId: home.contact.id,
        childIds: [home.child.id],
        start,
        end: new Date(start.getTime() + 15 * 60_000),
        status,
        source: 'teacher',
        now,
      });
      if (!booked.ok) throw new Error(`booking refused: ${booked.reason}`);
      await db
        .insert(schema.callLogs)
        .values({ id: createId('callLog'), homeId: home.home.id, bookingId: booked.booking.id, outcome });
    }
  });
  afterAll(async () => {
    await connection?.quit();
    await world?.close();
  });

  async function scrape(target = app): Promise<string> {
    const res = await target.request('/metrics', { headers: auth });
    expect(res.status).toBe(200);
    return res.text();
  }

  it('GET /livez answers 200 without checking anything; /healthz and /readyz answer as before', async () => {
    const live = await app.request('/livez');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    for (const path of ['/healthz', '/readyz']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok', livekit: 'disabled' } });
    }
  });

  it('answers /metrics with 404 when no token is configured, as for an unknown address', async () => {
    const res = await world.app.request('/metrics', { headers: auth });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  it('refuses /metrics with 401 without the token or with a wrong one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: TOKEN },
      { authorization: `Bearer ${TOKEN}x` },
    ]) {
      const res = await app.request('/metrics', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = await res.text();
      expect(body).toContain('unauthenticated');
      expect(body).not.toContain('affection_');
    }
  });

  it('gives request durations by route pattern, queue depths, SMS by status and calls per Home — and no person', async () => {
    const child = await app.request(`/api/children/${world.a.child.id}`, { headers: world.headersFor('teacherA') });
    expect(child.status).toBe(200);
    const missing = await app.request('/no/such/place/13812345678');
    expect(missing.status).toBe(404);
    const queue = new Queue(QUEUE_NAMES.system, { connection });
    await queue.add('later', { v: 1 }, { delay: 3_600_000, jobId: 'metrics-delayed' });
    await queue.close();

    const res = await app.request('/metrics', { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const route = { method: 'GET', route: '/api/children/:id', status_class: '2xx' };
    expect(sample(text, 'affection_http_request_duration_seconds_count', route)).toBe(1);
    expect(sample(text, 'affection_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(1);
    expect(sample(text, 'affection_http_request_duration_seconds_count', { route: '/*', status_class: '4xx' })).toBe(1);
    expect(sample(text, 'affection_queue_jobs', { queue: 'system', state: 'delayed' })).toBe(1);
    for (const name of Object.values(QUEUE_NAMES))
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(sample(text, 'affection_queue_jobs', { queue: name, state })).toBeGreaterThanOrEqual(0);
    const a = world.a.home.id;
    const b = world.b.home.id;
    expect(sample(text, 'affection_sms_messages', { home: a, status: 'sent' })).toBe(2);
    expect(sample(text, 'affection_sms_messages', { home: a, status: 'failed' })).toBe(1);
    expect(sample(text, 'affection_sms_messages', { home: b, status: 'pending' })).toBe(1);
    expect(sample(text, 'affection_sms_messages', { home: b, status: 'sent' })).toBeUndefined();
    expect(sample(text, 'affection_calls', { home: a, outcome: 'open' })).toBe(1);
    expect(sample(text, 'affection_calls', { home: b, outcome: 'parent-no-show' })).toBe(1);
    expect(sample(text, 'affection_active_rooms', { home: a })).toBe(1);
    expect(sample(text, 'affection_active_rooms', { home: b })).toBeUndefined();
    expect(sample(text, 'affection_metrics_source_up', { source: 'database' })).toBe(1);
    expect(sample(text, 'affection_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(text).toContain('process_resident_memory_bytes');

    const personal = [world.a, world.b].flatMap((home) => [
      home.contact.phone,
      home.contact.phone.slice(3),
      home.contact.name,
      home.contact.id,
      home.child.givenName,
      home.child.id,
      home.teacher.displayName,
      home.teacher.username,
      home.teacher.id,
      home.household.id,
      home.kiosk.id,
    ]);
    for (const value of personal) expect(text).not.toContain(value);
    expect(text).not.toContain('13812345678');
  });

  it('times jobs from the queues’ event streams: completed, failed and retried runs by queue', async () => {
    const fresh = createApp(services);
    await scrape(fresh);
    const workerConnection = new Redis(world.redisServer.url, { maxRetriesPerRequest: null });
    workerConnection.on('error', () => {});
    const worker = new Worker(
      QUEUE_NAMES.callEvents,
      async (job) => {
        if (job.name === 'boom') throw new Error('refused');
        if (job.name === 'again' && job.attemptsMade === 0) throw new Error('once more');
        return 'done';
      },
      { connection: workerConnection },
    );
    const queue = new Queue(QUEUE_NAMES.callEvents, { connection });
    try {
      const ended = new Promise<void>((resolve) => {
        let finals = 0;
        const count = () => {
          finals += 1;
          if (finals === 3) resolve();
        };
        worker.on('completed', count);
        worker.on('failed', (job) => {
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) count();
        });
      });
      await queue.add('ok', { v: 1 });
      await queue.add('boom', { v: 1 });
      await queue.add('again', { v: 1 }, { attempts: 2 });
      await ended;
    } finally {
      await worker.close();
      await queue.close();
      await workerConnection.quit();
    }
    const text = await scrape(fresh);
    const runs = (outcome: string) =>
      sample(text, 'affection_job_duration_seconds_count', { queue: 'call-events', outcome });
    expect(runs('completed')).toBe(2);
    expect(runs('failed')).toBe(1);
    expect(runs('retried')).toBe(1);
    expect(
      sample(text, 'affection_job_duration_seconds_sum', { queue: 'call-events', outcome: 'completed' }),
    ).toBeLessThan(10);
    // The next scrape reads on from where this one stopped: nothing is counted twice.
    const again = await scrape(fresh);
    expect(sample(again, 'affection_job_duration_seconds_count', { queue: 'call-events', outcome: 'completed' })).toBe(
      2,
    );
  });

  it('reuses the database counts for a short while, so frequent scrapes do not query it each time', async () => {
    const cached = createServerMetrics(services);
    const before = sample(await cached.render(), 'affection_sms_messages', {
      home: world.b.home.id,
      status: 'pending',
    });
    await insertOutgoingSms(world.database.db, {
      homeId: world.b.home.id,
      toPhone: world.b.contact.phone,
      body: '又一条',
      now: world.services.now(),
    });
    const within = await cached.render();
    expect(sample(within, 'affection_sms_messages', { home: world.b.home.id, status: 'pending' })).toBe(before);
    const uncached = createServerMetrics(services, { databaseCacheMs: 0 });
    const fresh = await uncached.render();
    expect(sample(fresh, 'affection_sms_messages', { home: world.b.home.id, status: 'pending' })).toBe(before! + 1);
  });

  it('still answers /metrics when the database is away, marking it down and leaving its counts out', async () => {
    const closed = await openTestDatabase(kind);
    await closed.close();
    const broken: AppServices = { ...services, database: closed };
    const text = await scrape(createApp(broken));
    expect(sample(text, 'affection_metrics_source_up', { source: 'database' })).toBe(0);
    expect(sample(text, 'affection_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(text).not.toContain('affection_sms_messages{');
    const ready = await createApp(broken).request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', failing: ['db'] });
  });

  it('with Redis down: /livez 200, /readyz 503 naming redis, /metrics marks Redis down; all well once it is back', async () => {
    await world.redisServer.kill('SIGKILL');
    try {
      const live = await app.request('/livez');
      expect(live.status).toBe(200);
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: 'error',
        checks: { db: 'ok', redis: 'error', livekit: 'disabled' },
        failing: ['redis'],
      });
      const text = await scrape();
      expect(sample(text, 'affection_metrics_source_up', { source: 'redis' })).toBe(0);
      expect(sample(text, 'affection_metrics_source_up', { source: 'database' })).toBe(1);
      expect(text).not.toContain('affection_queue_jobs{');
    } finally {
      await world.redisServer.restart();
    }
    await world.services.redis.ping();
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'affection_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(sample(text, 'affection_queue_jobs', { queue: 'sms', state: 'waiting' })).toBe(0);
  });
});

import { Writable } from 'node:stream';
import { DEFAULT_SMS_COUNTRY_POLICIES } from '@affection/core';
import type { Database } from '@affection/db';
import { OutboxSmsSender } from '@affection/telephony';
import {
  type LivekitServer,
  openTestDatabase,
  type RedisServer,
  startLivekit,
  startRedis,
} from '@affection/test-support';
import { Redis } from 'ioredis';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { createLogger } from './logger.ts';
import type { AppServices } from './services.ts';

/** Collects the JSON log lines the app writes. */
function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ destination: stream }) };
}

describe('server app', () => {
  let redisServer: RedisServer;
  let livekit: LivekitServer;
  let database: Database;
  let redis: Redis;
  const logs = captureLogs();
  let services: AppServices;

  beforeAll(async () => {
    [redisServer, livekit, database] = await Promise.all([startRedis(), startLivekit(), openTestDatabase('pglite')]);
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {}); // the Redis-down test makes it fail on purpose
    services = {
      database,
      redis,
      livekitRooms: null,
      logger: logs.logger,
      now: () => new Date(),
      settings: { publicUrl: 'http://localhost:3000', secureCookies: false, trustProxy: false },
      sms: new OutboxSmsSender({ db: database.db }),
      callRooms: null,
      livekitClientUrl: null,
      livekitWebhooks: null,
      twilioWebhooks: null,
      livekitSipHost: null,
      smsPolicies: DEFAULT_SMS_COUNTRY_POLICIES,
      onBookingChanged: async () => {},
      onLivekitEvent: async () => {},
    };
  });
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([redisServer?.stop(), livekit?.stop(), database?.close()]);
  });

  it('GET /healthz answers 200 with db and redis ok, LiveKit disabled when not configured', async () => {
    const res = await createApp(services).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok', livekit: 'disabled' } });
  });

  it('GET /healthz checks a real LiveKit server when configured', async () => {
    const livekitRooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const res = await createApp({ ...services, livekitRooms }).request('/healthz');
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { livekit: 'ok' } });
  });

  it('GET /healthz answers 503 naming LiveKit when its credentials are wrong', async () => {
    const livekitRooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, 'wrong-secret-wrong-secret-wrong!');
    const res = await createApp({ ...services, livekitRooms }).request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'error',
      checks: { db: 'ok', redis: 'ok', livekit: 'error' },
      failing: ['livekit'],
    });
  });

  it('answers unknown routes with the one error body and a request id', async () => {
    const res = await createApp(services).request('/no/such/route');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('not-found');
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    expect(body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed caller request id and writes it on the request log line', async () => {
    const requestId = '0a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
    const res = await createApp(services).request('/healthz', { headers: { 'x-request-id': requestId } });
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const line = logs.lines.find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ method: 'GET', path: '/healthz', status: 200, msg: 'request' });
  });

  it('replaces a malformed request id', async () => {
    const res = await createApp(services).request('/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(res.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });

  it('refuses a body over the limit with 413 in the same error shape', async () => {
    const res = await createApp(services, { maxBodyBytes: 16 }).request('/healthz', {
      method: 'POST',
      body: 'x'.repeat(64),
      headers: { 'content-type': 'text/plain', 'content-length': '64' },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload-too-large' } });
  });

  it('GET /healthz answers 503 naming redis when Redis is down, and recovers', async () => {
    await redisServer.kill('SIGKILL');
    try {
      const res = await createApp(services).request('/healthz');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: 'error',
        checks: { db: 'ok', redis: 'error' },
        failing: ['redis'],
      });
    } finally {
      await redisServer.restart();
    }
    await redis.ping();
    const again = await createApp(services).request('/healthz');
    expect(again.status).toBe(200);
  });
});

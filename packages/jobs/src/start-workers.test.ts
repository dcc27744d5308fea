import { randomUUID } from 'node:crypto';
import type { SendSmsRequest, SmsSender } from '@affection/core';
import { openTestDatabase, type RedisServer, startRedis, type TestDatabase } from '@affection/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_KEY, listHeartbeats } from './heartbeat.ts';
import type { JobLogger } from './job-logger.ts';
import { startWorkers } from './start-workers.ts';

const lines: string[] = [];
const logger: JobLogger = {
  info: (_f, m) => lines.push(m),
  warn: (_f, m) => lines.push(m),
  error: (_f, m) => lines.push(m),
};

/** An in-memory SMS provider: accepts everything. */
function acceptingSender(): SmsSender & { sent: SendSmsRequest[] } {
  const sent: SendSmsRequest[] = [];
  return {
    sent,
    async send(request) {
      sent.push(request);
      return { ok: true, providerId: `fake_${sent.length}` };
    },
    async lookup() {
      return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: 'not kept' } };
    },
  };
}

describe('startWorkers on a real Redis', () => {
  let redis: RedisServer;
  let database: TestDatabase;
  beforeAll(async () => {
    [redis, database] = await Promise.all([startRedis(), openTestDatabase('pglite')]);
  });
  afterAll(async () => {
    await redis?.stop();
    await database?.close();
  });

  it('runs the repeatable heartbeat and closes cleanly', async () => {
    const workerId = `test-${randomUUID()}`;
    const client = new Redis(redis.url);
    // Wait for the heartbeat through Redis keyspace notifications: a real event, not a timer.
    await client.config('SET', 'notify-keyspace-events', 'Kh');
    const subscriber = new Redis(redis.url);
    await subscriber.subscribe(`__keyspace@0__:${HEARTBEAT_KEY}`);
    const written = new Promise<void>((resolve) => subscriber.once('message', () => resolve()));
    const workers = await startWorkers({
      redisUrl: redis.url,
      workerId,
      logger,
      heartbeatEveryMs: 200,
      db: database.db,
      smsSender: acceptingSender(),
      smsProvider: 'outbox',
    });
    try {
      await written;
      const beats = await listHeartbeats(client);
      expect(beats.map((b) => b.workerId)).toContain(workerId);
      expect(Math.abs(Date.now() - (beats[0]?.at.getTime() ?? 0))).toBeLessThan(10_000);
    } finally {
      await workers.close();
      subscriber.disconnect();
      client.disconnect();
    }
    expect(lines).toContain('workers stopped');
  });
});

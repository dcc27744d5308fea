import { randomUUID } from 'node:crypto';
import { type RedisServer, startRedis } from '@affection/test-support';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('Redis started by the harness', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('answers PING and runs with AOF and noeviction', async () => {
    const client = new Redis(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'hz')).toEqual(['hz', '100']);
    } finally {
      client.disconnect();
    }
  });

  it('runs a BullMQ job round trip', async () => {
    const name = `smoke-${randomUUID()}`;
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection: new Redis(redis.url, { maxRetriesPerRequest: null }) });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection: new Redis(redis.url, { maxRetriesPerRequest: null }),
    });
    try {
      await events.waitUntilReady();
      const job = await queue.add('double', { n: 21 });
      const result = await job.waitUntilFinished(events, 10_000);
      expect(result).toEqual({ doubled: 42 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });

  it('keeps data across a crash through its AOF', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, lazyConnect: true });
    await client.connect();
    await client.set('survives', 'yes');
    // appendfsync everysec: force the write to disk before the crash
    await client.call('BGREWRITEAOF');
    await waitForRewrite(client);
    client.disconnect();
    await redis.kill('SIGKILL');
    await redis.restart();
    const again = new Redis(redis.url);
    try {
      expect(await again.get('survives')).toBe('yes');
    } finally {
      again.disconnect();
    }
  });
});

async function waitForRewrite(client: Redis): Promise<void> {
  for (;;) {
    const info = await client.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@affection/config';
import { DEFAULT_SMS_COUNTRY_POLICIES, smsPolicyFor } from '@affection/core';
import { type RedisServer, startRedis } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, smsPoliciesOf } from './create-runtime.ts';
import { DataDirLockedError } from './data-dir-lock.ts';

describe('smsPoliciesOf', () => {
  it('gives the core defaults when SMS_COUNTRY_POLICIES is unset', () => {
    expect(smsPoliciesOf(loadConfig({}))).toBe(DEFAULT_SMS_COUNTRY_POLICIES);
  });

  it('lays the configured countries over the defaults: +86 stays strict unless named', () => {
    const policies = smsPoliciesOf(loadConfig({ SMS_COUNTRY_POLICIES: '1=links+replies' }));
    expect(smsPolicyFor('+15005550006', policies)).toEqual({ allowsLinks: true, allowsReplies: true });
    expect(smsPolicyFor('+8613812345678', policies)).toEqual({ allowsLinks: false, allowsReplies: false });
    expect(smsPolicyFor('+447700900123', policies)).toEqual(DEFAULT_SMS_COUNTRY_POLICIES.fallback);
  });
});

describe('createRuntime', () => {
  let redis: RedisServer;
  let dataDir: string;
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-runtime-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('builds everything from the config, holds the DATA_DIR lock while the embedded database is open', async () => {
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'secret-secret-secret-secret-secret',
      SMS_COUNTRY_POLICIES: '1=links+replies',
    });
    const runtime = await createRuntime(config, { service: 'affection-test', logDestination });
    try {
      expect(runtime.database.kind).toBe('pglite');
      await runtime.database.ping();
      expect(runtime.sms.provider).toBe('outbox');
      expect(runtime.callRooms).not.toBeNull();
      expect(runtime.livekit?.clientUrl).toBe('ws://127.0.0.1:7880');
      expect(runtime.twilioWebhooks).toBeNull();
      expect(runtime.smsPolicies.byCallingCode['1']).toEqual({ allowsLinks: true, allowsReplies: true });
      expect(await runtime.phoneBridge()).toBeNull();
      const client = runtime.redis('producer', 'test');
      expect(await client.ping()).toBe('PONG');
      await expect(createRuntime(config, { service: 'affection-test' })).rejects.toBeInstanceOf(DataDirLockedError);
      runtime.logger.info({ phone: '+8613812345678' }, 'hello');
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ service: 'affection-test', phone: '[redacted]' });
    } finally {
      await runtime.closeConnections();
      await runtime.closeDatabase();
    }
    // Closed: the folder is free again.
    const again = await createRuntime(config, { service: 'affection-test' });
    await again.closeDatabase();
  });

  it('closes a Redis connection at once when Redis is gone, instead of waiting for it', async () => {
    const own = await startRedis();
    const runtime = await createRuntime(loadConfig({ REDIS_URL: own.url, DATA_DIR: dataDir }), {
      service: 'affection-test',
      logDestination: new Writable({ write: (_c, _e, done) => done() }),
    });
    try {
      const client = runtime.redis('worker', 'test');
      expect(await client.ping()).toBe('PONG');
      // A worker connection queues commands while Redis is away: a plain quit() would wait for Redis forever.
      const noticed = once(client, 'reconnecting');
      await own.kill();
      await noticed;
      const started = performance.now();
      await runtime.closeConnections();
      expect(performance.now() - started).toBeLessThan(500);
    } finally {
      await runtime.closeDatabase();
      await own.stop();
    }
  });
});

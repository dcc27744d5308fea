import { Writable } from 'node:stream';
import { type RedisServer, startRedis } from '@affection/test-support';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../create-logger.ts';
import type { ProcessExit } from './child-process.ts';
import { type RestartableService, superviseChild } from './supervise-child.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  let notify: () => void = () => {};
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      notify();
      done();
    },
  });
  /** Resolves once a logged line matches. */
  const lineMatching = (predicate: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found) resolve(found);
      };
      const previous = notify;
      notify = () => {
        previous();
        check();
      };
      check();
    });
  return { lines, lineMatching, logger: createLogger({ service: 'affection-test', destination }) };
}

describe('superviseChild', () => {
  let redis: RedisServer | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it('starts a killed Redis again on the same port with its data, and logs the exit and the restart', async () => {
    const { lineMatching, logger } = capture();
    redis = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {});
    await client.set('kept', 'yes');
    await client.call('BGREWRITEAOF');
    const supervised = superviseChild(redis, { name: 'redis', logger });
    try {
      const firstPid = redis.pid;
      const restarted = lineMatching((l) => l.msg === 'dev service restarted');
      await redis.kill();
      const line = await restarted;
      expect(line).toMatchObject({ devService: 'redis', restarts: 1 });
      expect(line.pid).not.toBe(firstPid);
      expect(await client.get('kept')).toBe('yes');
      expect(supervised.restarts).toBe(1);
    } finally {
      client.disconnect();
      await supervised.stop();
    }
  });

  it('retries a restart that fails with a growing delay, and stops retrying when stopped', async () => {
    const { lines, lineMatching, logger } = capture();
    // A service whose process has died and whose restarts fail, like a Redis whose port was taken meanwhile.
    let exit: (value: ProcessExit) => void = () => {};
    const exited = new Promise<ProcessExit>((resolve) => {
      exit = resolve;
    });
    let attempts = 0;
    const service: RestartableService = {
      pid: 1234,
      waitForExit: () => exited,
      restart: async () => {
        attempts += 1;
        throw new Error('address already in use');
      },
      stop: async () => {},
    };
    const supervised = superviseChild(service, { name: 'redis', logger, initialDelayMs: 10, maxDelayMs: 40 });
    exit({ code: null, signal: 'SIGKILL' });
    await lineMatching((l) => l.msg === 'dev service did not restart' && l.retryInMs === 40);
    await supervised.stop();
    const attemptsAtStop = attempts;
    const delays = lines.filter((l) => l.msg === 'dev service did not restart').map((l) => l.retryInMs);
    expect(delays).toEqual([20, 40]);
    expect(lines[0]).toMatchObject({ msg: 'dev service exited: restarting', signal: 'SIGKILL', restartInMs: 10 });
    // Stopped: no attempt after the stop resolved.
    await new Promise((resolve) => setImmediate(resolve));
    expect(attempts).toBe(attemptsAtStop);
  });
});

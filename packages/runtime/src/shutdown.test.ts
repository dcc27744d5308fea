import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { runShutdown, settleWithin } from './shutdown.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'affection-test', destination }) };
}

describe('runShutdown', () => {
  it('runs every step in order and reports a clean stop', async () => {
    const { lines, logger } = capture();
    const order: string[] = [];
    const report = await runShutdown(
      ['http', 'workers', 'database'].map((name) => ({
        name,
        timeoutMs: 1_000,
        run: async () => {
          order.push(name);
        },
      })),
      logger,
    );
    expect(order).toEqual(['http', 'workers', 'database']);
    expect(report).toMatchObject({ clean: true, failed: [] });
    expect(lines.map((l) => l.step)).toEqual(['http', 'workers', 'database']);
  });

  it('gives up a step that hangs or fails after its timeout, forces it, and still runs the next ones', async () => {
    const { lines, logger } = capture();
    const forced: string[] = [];
    let databaseClosed = false;
    const started = performance.now();
    const report = await runShutdown(
      [
        {
          name: 'workers',
          timeoutMs: 100,
          run: () => new Promise<void>(() => {}),
          force: () => forced.push('workers'),
        },
        { name: 'redis', timeoutMs: 100, run: () => Promise.reject(new Error('connection is closed')) },
        {
          name: 'database',
          timeoutMs: 1_000,
          run: async () => {
            databaseClosed = true;
          },
        },
      ],
      logger,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(report).toMatchObject({ clean: false, failed: ['workers', 'redis'] });
    expect(forced).toEqual(['workers']);
    expect(databaseClosed).toBe(true);
    expect(lines.filter((l) => l.msg === 'shutdown step did not finish: going on').map((l) => l.outcome)).toEqual([
      'timed-out',
      'failed',
    ]);
  });
});

describe('settleWithin', () => {
  it('says done, timed-out or failed, and never rejects', async () => {
    expect(await settleWithin(Promise.resolve(), 50)).toBe('done');
    expect(await settleWithin(new Promise(() => {}), 20)).toBe('timed-out');
    expect(await settleWithin(Promise.reject(new Error('no')), 50)).toBe('failed');
  });
});

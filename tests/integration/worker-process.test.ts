import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@affection/config';
import { createRuntime, MASKED_PHONE } from '@affection/runtime';
import {
  createTestPostgres,
  type RedisServer,
  spawnUntilReady,
  startRedis,
  type TestPostgres,
  testEnv,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../apps/worker/src/main.ts';

const workerMain = path.resolve(import.meta.dirname, '../../apps/worker/src/main.ts');
const PHONE = '+8613812345678';

/** A line that is not one JSON object (what a plain-text stack or console message would be). */
function isNotJson(line: string): boolean {
  try {
    return typeof JSON.parse(line) !== 'object';
  } catch {
    return true;
  }
}

describe('the worker', () => {
  let redis: RedisServer;
  let postgres: TestPostgres;
  let dataDir: string;
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), createTestPostgres()]);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-worker-'));
  });
  afterAll(async () => {
    await redis?.stop();
    await postgres?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("logs through the runtime's logger: a phone number in a field or in the text is masked, as on the server", async () => {
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(line);
        done();
      },
    });
    const config = loadConfig({ REDIS_URL: redis.url, DATABASE_URL: postgres.url, DATA_DIR: dataDir });
    const runtime = await createRuntime(config, { service: 'affection-worker', logDestination });
    const running = await startWorker(runtime);
    try {
      running.logger.warn(
        { contact: { phone: PHONE }, reason: `provider refused ${PHONE}` },
        `ringing ${PHONE} failed`,
      );
    } finally {
      await running.close();
      await runtime.closeConnections();
      await runtime.closeDatabase();
    }
    const logged = lines.join('\n');
    expect(logged).toContain('"msg":"workers started"');
    expect(logged).not.toContain('13812345678');
    const line = JSON.parse(lines.find((l) => l.includes('ringing'))!);
    expect(line).toMatchObject({
      service: 'affection-worker',
      contact: { phone: '[redacted]' },
      reason: `provider refused ${MASKED_PHONE}`,
      msg: `ringing ${MASKED_PHONE} failed`,
    });
    expect(lines.filter(isNotJson)).toEqual([]);
  });

  it('as its own process writes only JSON lines, also while Redis is down, and stops on SIGTERM', async () => {
    const worker = await spawnUntilReady({
      command: process.execPath,
      args: ['--import', 'tsx', workerMain],
      env: { PATH: testEnv.searchPath, REDIS_URL: redis.url, DATABASE_URL: postgres.url, DATA_DIR: dataDir },
      label: 'worker',
      readyWhen: (line) => line.includes('"msg":"workers started"'),
      timeoutMs: 90_000,
    });
    try {
      const lost = worker.waitForLine((line) => line.includes('redis connection lost'));
      await redis.kill();
      await lost;
      // Connection errors keep coming while Redis is away; they must stay inside the process (no plain-text stacks).
      const back = worker.waitForLine((line) => line.includes('redis is back'));
      await redis.restart();
      await back;
      const stopped = performance.now();
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      console.log(`worker stopped ${Math.round(performance.now() - stopped)} ms after SIGTERM`);
      expect(worker.output.filter(isNotJson)).toEqual([]);
      expect(worker.output.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getFreeTcpPort, spawnUntilReady, testEnv } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const startScript = path.resolve(import.meta.dirname, '../../scripts/start.ts');

describe('npm start (scripts/start.ts)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings up its own Redis, PGlite, LiveKit, the server and workers, and stops them all on Ctrl-C', async () => {
    const port = await getFreeTcpPort();
    const running = await spawnUntilReady({
      command: process.execPath,
      args: ['--import', 'tsx', startScript],
      env: { PATH: testEnv.searchPath, HOME: os.homedir(), PORT: String(port), DATA_DIR: dataDir },
      label: 'npm start',
      readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
      timeoutMs: 60_000,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok', livekit: 'ok' } });
      expect(res.status).toBe(200);
      expect(running.output.join('\n')).toContain(`http://localhost:${port}/kiosk/`);
      expect(running.output.join('\n')).toMatch(/Demo data: 60 children in \d+ households, 2 kiosks/);
      expect(running.output.join('\n')).toContain('admin / qinqing-admin');
      expect((await readdir(dataDir)).sort()).toEqual(['affection.lock', 'pglite', 'redis']);
      const printed = running.output.join('\n');
      const redisPort = printed.match(/Redis: redis:\/\/127\.0\.0\.1:(\d+)/)?.[1];
      const livekitPort = printed.match(/LiveKit \(dev, key devkey\): ws:\/\/127\.0\.0\.1:(\d+)/)?.[1];
      expect(redisPort).toBeDefined();
      expect(livekitPort).toBeDefined();
      running.child.kill('SIGINT');
      expect(await running.exited).toBe(0);
      for (const closedPort of [port, Number(redisPort), Number(livekitPort)]) {
        expect(await isListening(closedPort), `port ${closedPort} still open`).toBe(false);
      }
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});

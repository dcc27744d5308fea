import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@affection/config';
import { seedDemoHome } from '@affection/db';
import { openConfiguredDatabase } from '@affection/runtime';
import { getFreeTcpPort, type RedisServer, spawnUntilReady, startRedis, testEnv } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/main.ts';

const serverMain = path.resolve(import.meta.dirname, '../../apps/server/src/main.ts');

describe('the server process', () => {
  let redis: RedisServer;
  let dataDir: string;
  beforeAll(async () => {
    redis = await startRedis();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-server-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes an in-flight request on SIGTERM, then closes everything and exits 0', async () => {
    // A "LiveKit" that accepts connections and never answers keeps /healthz in flight for its 2 s timeout.
    const connected: net.Socket[] = [];
    let onConnect: () => void = () => {};
    const firstConnection = new Promise<void>((resolve) => {
      onConnect = resolve;
    });
    const blackHole = net.createServer((socket) => {
      connected.push(socket);
      onConnect();
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const blackHolePort = (blackHole.address() as net.AddressInfo).port;
    const port = await getFreeTcpPort();
    const server = await spawnUntilReady({
      command: process.execPath,
      args: ['--import', 'tsx', serverMain],
      env: {
        PATH: testEnv.searchPath,
        PORT: String(port),
        DATA_DIR: dataDir,
        REDIS_URL: redis.url,
        LIVEKIT_URL: `http://127.0.0.1:${blackHolePort}`,
        LIVEKIT_API_KEY: 'key',
        LIVEKIT_API_SECRET: 'secret-secret-secret-secret-secret',
      },
      label: 'server',
      readyWhen: (line) => line.includes('server listening'),
      timeoutMs: 90_000,
    });
    try {
      const inFlight = fetch(`http://127.0.0.1:${port}/healthz`);
      await firstConnection;
      const stoppedLogged = server.waitForLine((line) => line.includes('"msg":"stopped"'));
      server.child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { db: 'ok', redis: 'ok', livekit: 'error' } });
      await stoppedLogged;
      expect(await server.exited).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      expect(server.output.some((l) => l.includes('shutting down'))).toBe(true);
      // The family sign-in codes still being sent are waited for after the drain, before Redis and the database close.
      const steps = server.output.filter((l) => l.includes('shutdown step done')).map((l) => JSON.parse(l).step);
      expect(steps.indexOf('family codes')).toBeGreaterThan(steps.indexOf('http'));
      expect(steps.indexOf('family codes')).toBeLessThan(steps.indexOf('database'));
    } finally {
      server.child.kill('SIGKILL');
      for (const socket of connected) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  it('refuses to start on an invalid configuration and lists every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', serverMain], {
      env: { PATH: testEnv.searchPath, PORT: 'abc', DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'loud' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration');
    for (const variable of ['PORT', 'DATABASE_URL', 'LOG_LEVEL']) expect(stderr).toContain(`${variable}:`);
  });
  it('refuses to start in production with dev LiveKit credentials or an http PUBLIC_URL, listing every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', serverMain], {
      env: {
        PATH: testEnv.searchPath,
        NODE_ENV: 'production',
        PUBLIC_URL: 'http://call.example.org',
        DATA_DIR: dataDir,
        REDIS_URL: redis.url,
        LIVEKIT_URL: 'ws://127.0.0.1:7880',
        LIVEKIT_API_KEY: 'devkey',
        LIVEKIT_API_SECRET: 'secret',
        SIP_OUTBOUND_ADDRESS: 'affection.pstn.twilio.com',
        SIP_OUTBOUND_NUMBER: '+15005550006',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Refusing to start in production (NODE_ENV=production):');
    const problems = stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('PUBLIC_URL is http://call.example.org');
    expect(problems[1]).toContain("LiveKit's public dev credentials (devkey / secret)");
    expect(problems[2]).toContain(
      'SIP_OUTBOUND_ADDRESS is set without SIP_OUTBOUND_USERNAME and SIP_OUTBOUND_PASSWORD',
    );
  });
  it('refuses to start in production on a database that still has the demo logins', async () => {
    const demoDir = await mkdtemp(path.join(os.tmpdir(), 'affection-server-demo-'));
    try {
      const database = await openConfiguredDatabase(loadConfig({ DATA_DIR: demoDir }));
      await seedDemoHome(database.db, { hashPassword, now: new Date() });
      await database.close();
      const child = spawn(process.execPath, ['--import', 'tsx', serverMain], {
        env: {
          PATH: testEnv.searchPath,
          NODE_ENV: 'production',
          PUBLIC_URL: 'https://call.example.org',
          DATA_DIR: demoDir,
          REDIS_URL: redis.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      const problems = stderr.split('\n').filter((line) => line.startsWith('  - '));
      expect(problems).toEqual([
        "  - the database holds the demo Home's logins with their published passwords (admin, teacher1, teacher2, " +
          'teacher3, teacher4, teacher5, teacher6): change those passwords or deactivate those accounts, or start ' +
          'from an empty database',
      ]);
    } finally {
      await rm(demoDir, { recursive: true, force: true });
    }
  });
});

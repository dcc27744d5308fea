import { readFileSync } from 'node:fs';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  findLivekitBinary,
  getFreeTcpPort,
  type RunningProcess,
  type RunToEnd,
  runNodeToEnd,
  spawnUntilReady,
  testEnv,
  waitUntil,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_NODE_FLAGS } from '../../scripts/node-memory-flags.ts';

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

const root = path.resolve(import.meta.dirname, '../..');
const startScript = path.join(root, 'scripts/start.ts');
const seedScript = path.join(root, 'scripts/seed-synthetic.ts');

/** The environment `npm start` gets in these tests: nothing but the machine's PATH and the given variables. */
function startEnv(variables: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: testEnv.searchPath, HOME: os.homedir(), ...variables };
}

/** Runs a script to its end; resolves with its exit code and everything it printed. */
function runToEnd(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunToEnd> {
  return runNodeToEnd(['--import', 'tsx', script, ...args], env);
}

/** The JSON log lines a process printed (the start banner is for people; everything else is JSON). */
function jsonLines(output: string[]): Record<string, unknown>[] {
  return output.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The pid of the dev service's running process, from the last line that started or restarted it. */
function devServicePid(output: string[], service: 'redis' | 'livekit'): number {
  const lines = jsonLines(output).filter(
    (l) => l.devService === service && (l.msg === 'dev service started' || l.msg === 'dev service restarted'),
  );
  const pid = lines.at(-1)?.pid;
  if (typeof pid !== 'number') throw new Error(`no pid of ${service} in the output`);
  return pid;
}

/**
 * Whether `pid` is a live process. A killed child whose parent died first is re-parented to the machine's first process,
 * which in a container may never reap it: that zombie still answers signal 0, so its state is read from /proc too.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function healthStatus(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

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
      env: startEnv({ PORT: String(port), DATA_DIR: dataDir }),
      label: 'npm start',
      readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
      timeoutMs: 90_000,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await res.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok', livekit: 'ok' } });
      expect(res.status).toBe(200);
      expect(running.output.join('\n')).toContain(`http://localhost:${port}/kiosk/`);
      expect(running.output.join('\n')).toMatch(/Demo data: 60 children in \d+ households, 2 kiosks/);
      expect(running.output.join('\n')).toContain('admin / qinqing-admin');
      expect((await readdir(dataDir)).sort()).toEqual(['affection.lock', 'livekit.pid', 'pglite', 'redis']);
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
      // The lock is gone with the process: the folder is free for the next start.
      expect((await readdir(dataDir)).sort()).toEqual(['pglite', 'redis']);
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});

describe('npm start keeps its services up and stops on time', () => {
  let dataDir: string;
  let port: number;
  let running: RunningProcess;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-'));
    port = await getFreeTcpPort();
    running = await spawnUntilReady({
      command: process.execPath,
      args: ['--import', 'tsx', startScript],
      env: startEnv({ PORT: String(port), DATA_DIR: dataDir }),
      label: 'npm start',
      readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
      timeoutMs: 90_000,
    });
  });
  afterAll(async () => {
    running?.child.kill('SIGKILL');
    await running?.exited;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a second npm start or seed:synthetic on the same DATA_DIR refuses with a clear message', async () => {
    const env = startEnv({ PORT: String(await getFreeTcpPort()), DATA_DIR: dataDir });
    const second = await runToEnd(startScript, [], env);
    expect(second.code).toBe(1);
    expect(second.out).toContain(`DATA_DIR ${dataDir} is in use by process ${running.child.pid}`);
    expect(second.out).toContain('stop that process first, or set DATA_DIR to another folder');
    const seed = await runToEnd(seedScript, ['--children', '1'], env);
    expect(seed.code).toBe(1);
    expect(seed.out).toContain(`DATA_DIR ${dataDir} is in use by process ${running.child.pid}`);
    // Refused before touching anything: the first one still answers.
    expect(await healthStatus(port)).toBe(200);
  });

  it('restarts its Redis when it dies: /healthz is 200 again within 10 s, and every log line stays JSON', async () => {
    const pid = devServicePid(running.output, 'redis');
    const exited = running.waitForLine((line) => line.includes('"msg":"dev service exited: restarting"'));
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    await exited;
    await waitUntil(
      async () =>
        jsonLines(running.output).some((l) => l.msg === 'dev service restarted' && l.devService === 'redis') &&
        (await healthStatus(port)) === 200,
      { timeoutMs: 10_000, everyMs: 50, what: '/healthz to answer 200 after Redis was killed' },
    );
    const recoveryMs = Math.round(performance.now() - killedAt);
    console.log(`Redis killed: /healthz 200 again after ${recoveryMs} ms`);
    expect(recoveryMs).toBeLessThan(10_000);
    expect(devServicePid(running.output, 'redis')).not.toBe(pid);
    const banner = running.output.findIndex((line) => line.includes('Press Ctrl-C to stop everything'));
    expect(running.output.slice(banner + 1).filter((line) => !line.startsWith('{'))).toEqual([]);
  });

  it.runIf(findLivekitBinary() !== undefined)(
    'restarts its LiveKit when it dies: /healthz is 200 again within 10 s',
    async () => {
      const pid = devServicePid(running.output, 'livekit');
      const restartsBefore = jsonLines(running.output).filter((l) => l.msg === 'dev service restarted').length;
      const killedAt = performance.now();
      process.kill(pid, 'SIGKILL');
      await waitUntil(
        async () =>
          jsonLines(running.output).filter((l) => l.msg === 'dev service restarted').length > restartsBefore &&
          (await healthStatus(port)) === 200,
        { timeoutMs: 10_000, everyMs: 50, what: '/healthz to answer 200 after LiveKit was killed' },
      );
      const recoveryMs = Math.round(performance.now() - killedAt);
      console.log(`LiveKit killed: /healthz 200 again after ${recoveryMs} ms`);
      expect(devServicePid(running.output, 'livekit')).not.toBe(pid);
    },
  );

  it('stops within the deadline when its Redis died first, and frees its ports and the folder', async () => {
    const printed = running.output.join('\n');
    const redisPort = Number(printed.match(/Redis: redis:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    const exited = running.waitForLine((line) => line.includes('"msg":"dev service exited: restarting"'));
    process.kill(devServicePid(running.output, 'redis'), 'SIGKILL');
    await exited;
    const stopAt = performance.now();
    running.child.kill('SIGTERM');
    const code = await running.exited;
    const stopMs = Math.round(performance.now() - stopAt);
    console.log(`SIGTERM with Redis dead: stopped in ${stopMs} ms (exit ${code})`);
    expect(code).toBe(0);
    expect(stopMs).toBeLessThan(20_000);
    for (const closedPort of [port, redisPort]) {
      expect(await isListening(closedPort), `port ${closedPort} still open`).toBe(false);
    }
    await expect(access(path.join(dataDir, 'affection.lock'))).rejects.toThrow(/ENOENT/);
    expect(jsonLines(running.output).some((l) => l.msg === 'stopped' && l.clean === true)).toBe(true);
  });
});

describe('npm start after a crash', () => {
  it('takes over the lock of the killed start and stops the Redis and LiveKit it left running', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-crash-'));
    const env = startEnv({ PORT: String(await getFreeTcpPort()), DATA_DIR: dataDir });
    const spawnStart = () =>
      spawnUntilReady({
        command: process.execPath,
        args: ['--import', 'tsx', startScript],
        env,
        label: 'npm start',
        readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
        timeoutMs: 90_000,
      });
    const first = await spawnStart();
    const leftRedis = devServicePid(first.output, 'redis');
    const leftLivekit = findLivekitBinary() ? devServicePid(first.output, 'livekit') : undefined;
    let second: RunningProcess | undefined;
    try {
      // Killed outright: no shutdown runs, the lock file stays, Redis and LiveKit keep running.
      first.child.kill('SIGKILL');
      await first.exited;
      expect(isAlive(leftRedis)).toBe(true);
      // LiveKit may end on its own once its parent is gone (its output pipe closes); only a live one is stopped.
      const livekitLeft = leftLivekit !== undefined && isAlive(leftLivekit);
      second = await spawnStart();
      expect(isAlive(leftRedis)).toBe(false);
      if (leftLivekit !== undefined) expect(isAlive(leftLivekit)).toBe(false);
      const warnings = jsonLines(second.output).filter((l) =>
        String(l.msg).endsWith('left running by an earlier start'),
      );
      expect(warnings.map((l) => l.pid)).toEqual([leftRedis, ...(livekitLeft ? [leftLivekit] : [])]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      second?.child.kill('SIGKILL');
      for (const pid of [leftRedis, leftLivekit]) if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start on a taken port', () => {
  it('says which port is taken, and stops the Redis and LiveKit it had started', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-port-'));
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const { code, out } = await runToEnd(startScript, [], startEnv({ PORT: String(port), DATA_DIR: dataDir }));
      expect(code).toBe(1);
      expect(out).toContain(`Port ${port} on 127.0.0.1 is in use: stop what uses it, or set PORT to another port.`);
      const started = jsonLines(out.split('\n')).filter((l) => l.msg === 'dev service started');
      expect(started.map((l) => l.devService)).toContain('redis');
      for (const service of started) {
        expect(await isListening(service.port as number), `${service.devService} still listening`).toBe(false);
      }
      await expect(access(path.join(dataDir, 'affection.lock'))).rejects.toThrow(/ENOENT/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start in production', () => {
  it('refuses before starting Redis or LiveKit, listing every problem', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-prod-'));
    try {
      const { code, out } = await runToEnd(
        startScript,
        [],
        startEnv({
          NODE_ENV: 'production',
          PORT: String(await getFreeTcpPort()),
          DATA_DIR: dataDir,
          PUBLIC_URL: 'http://call.example.org',
        }),
      );
      expect(code).toBe(1);
      expect(out).toContain('Refusing to start in production (NODE_ENV=production):');
      expect(out).toContain('  - PUBLIC_URL is http://call.example.org');
      expect(out).toContain('npm start would seed the demo Home');
      if (findLivekitBinary()) expect(out).toContain('npm start would run LiveKit in dev mode with the public key');
      expect((await readdir(dataDir)).sort()).toEqual(['pglite']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start as it runs: its bundle (dist/start.js) with its Node flags', () => {
  it("creates a new folder's database in a process of its own, then seeds and serves the demo Home; a second start opens that database", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'affection-start-built-'));
    try {
      const built = await runNodeToEnd([path.join(root, 'scripts/build-node.ts'), 'start'], startEnv({}));
      expect(built.code, built.out).toBe(0);
      for (const round of ['new folder', 'seeded folder'] as const) {
        const port = await getFreeTcpPort();
        const running = await spawnUntilReady({
          command: process.execPath,
          args: [...EMBEDDED_NODE_FLAGS, path.join(root, 'dist/start.js')],
          env: startEnv({ PORT: String(port), DATA_DIR: dir }),
          cwd: root,
          label: `npm start (built, ${round})`,
          readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
          timeoutMs: 180_000,
        });
        try {
          const created = jsonLines(running.output).filter(
            (l) => l.msg === 'embedded database created by a process of its own',
          );
          expect(created.map((l) => l.exitCode)).toEqual(round === 'new folder' ? [0] : []);
          const printed = running.output.join('\n');
          if (round === 'new folder') expect(printed).toMatch(/Demo data: 60 children in \d+ households, 2 kiosks/);
          else expect(printed).not.toContain('Demo data');
          expect(await healthStatus(port)).toBe(200);
          running.child.kill('SIGINT');
          expect(await running.exited).toBe(0);
        } finally {
          running.child.kill('SIGKILL');
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

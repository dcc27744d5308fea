import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import {
  createTestPostgres,
  getFreeTcpPort,
  type RunningProcess,
  spawnUntilReady,
  startLivekit,
  startRedis,
  stopProcess,
  testEnv,
} from '@affection/test-support';
import { EMBEDDED_NODE_FLAGS, NODE_MEMORY_FLAGS } from '../../scripts/node-memory-flags.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

/** How long a process is left idle after it is ready, and how often its RSS is read meanwhile. */
const SETTLE_MS = 10_000;
const SAMPLE_EVERY_MS = 1_000;

/** Resident memory of one process in MB, from /proc (Linux). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** The processes below `pid` (children, grandchildren…) with their command names. */
async function descendants(pid: number): Promise<{ pid: number; name: string }[]> {
  const parents = new Map<number, { pid: number; name: string }[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = stat.match(/^(\d+) \((.*)\) \S+ (\d+)/);
    if (!match) continue;
    const parent = Number(match[3]);
    parents.set(parent, [...(parents.get(parent) ?? []), { pid: Number(match[1]), name: match[2] ?? '' }]);
  }
  const found: { pid: number; name: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The command line of a process, as `ps` would show it. */
async function commandLine(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ');
}

/**
 * Leaves a ready process idle for {@link SETTLE_MS}, reading its RSS every second; the figure is the median of the
 * last half of the readings (start-up's garbage collected by then, nothing asked of it).
 */
async function idleRssMb(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let waited = 0; waited < SETTLE_MS; waited += SAMPLE_EVERY_MS) {
    await delay(SAMPLE_EVERY_MS);
    readings.push(await rssMb(pid));
  }
  const last = readings.slice(readings.length / 2).sort((a, b) => a - b);
  return last[Math.floor(last.length / 2)] as number;
}

const round = (mb: number) => Math.round(mb * 10) / 10;

/**
 * Memory of the three ways the product runs, each idle after it is ready: the built server and the built workers
 * (`node <NODE_MEMORY_FLAGS> apps/*\/dist/main.js`, as `npm run start:prod` and the systemd units run them) on a
 * migrated throwaway database on the test PostgreSQL and a Redis of the harness — the server once without LiveKit
 * and once with a real LiveKit configured, as every deployment has it; and `npm start` (embedded PGlite, its own
 * Redis and LiveKit, the demo Home seeded), whose figure is the RSS of its one Node process that serves and runs the
 * workers (Redis and LiveKit are programs of their own, reported apart). Builds the server and worker first
 * (`npm run build:node` equivalent) and expects the web apps built by `npm start` itself. Goals: server ≤ 150 MB,
 * worker ≤ 150 MB, npm start ≤ 200 MB. `--no-flags` runs the built processes without {@link NODE_MEMORY_FLAGS}.
 */
export default async function memoryBench(args: string[]): Promise<Record<string, unknown>> {
  // `--source`: the server and workers from their TypeScript sources under tsx, as before the production build.
  const fromSource = args.includes('--source');
  const flags = args.includes('--no-flags') ? [] : NODE_MEMORY_FLAGS;
  const commandOf = (app: 'server' | 'worker') =>
    fromSource
      ? [...flags, '--import', 'tsx', path.join(root, `apps/${app}/src/main.ts`)]
      : [...flags, path.join(root, `apps/${app}/dist/main.js`)];
  for (const app of ['server', 'worker']) {
    await run(process.execPath, [path.join(root, 'scripts/build-node.ts'), app], { cwd: root });
  }
  const redis = await startRedis();
  const postgres = await createTestPostgres();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-memory-'));
  const running: RunningProcess[] = [];
  try {
    const env = {
      PATH: testEnv.searchPath,
      HOME: os.homedir(),
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    };
    await run(process.execPath, [path.join(root, 'apps/server/dist/db-migrate.js')], { env, cwd: root });

    const port = await getFreeTcpPort();
    const server = await spawnUntilReady({
      command: process.execPath,
      args: commandOf('server'),
      env: { ...env, PORT: String(port), LOG_LEVEL: 'info' },
      cwd: root,
      label: 'server',
      readyWhen: (line) => line.includes('server listening'),
      timeoutMs: 60_000,
    });
    running.push(server);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (health.status !== 200) throw new Error(`the built server's /healthz answered ${health.status}`);
    const serverRssMb = await idleRssMb(server.child.pid as number);
    console.log(`server (${await commandLine(server.child.pid as number)}): ${round(serverRssMb)} MB RSS idle`);
    await stopProcess(running.splice(0)[0] as RunningProcess, 'SIGTERM', 15_000);

    // The same server with a real LiveKit configured (its SDK loaded, /healthz asking it).
    const livekit = await startLivekit();
    let serverLivekitRssMb: number;
    try {
      const livekitPort = await getFreeTcpPort();
      const withLivekit = await spawnUntilReady({
        command: process.execPath,
        args: commandOf('server'),
        env: {
          ...env,
          PORT: String(livekitPort),
          LOG_LEVEL: 'info',
          LIVEKIT_URL: livekit.wsUrl,
          LIVEKIT_API_KEY: livekit.apiKey,
          LIVEKIT_API_SECRET: livekit.apiSecret,
        },
        cwd: root,
        label: 'server with LiveKit',
        readyWhen: (line) => line.includes('server listening'),
        timeoutMs: 60_000,
      });
      running.push(withLivekit);
      const answer = await fetch(`http://127.0.0.1:${livekitPort}/healthz`);
      if (answer.status !== 200) throw new Error(`the built server's /healthz answered ${answer.status} with LiveKit`);
      serverLivekitRssMb = await idleRssMb(withLivekit.child.pid as number);
      console.log(`server with LiveKit configured: ${round(serverLivekitRssMb)} MB RSS idle`);
      await stopProcess(running.splice(0)[0] as RunningProcess, 'SIGTERM', 15_000);
    } finally {
      await livekit.stop();
    }

    const worker = await spawnUntilReady({
      command: process.execPath,
      args: commandOf('worker'),
      env: { ...env, LOG_LEVEL: 'info' },
      cwd: root,
      label: 'worker',
      readyWhen: (line) => line.includes('workers started'),
      timeoutMs: 60_000,
    });
    running.push(worker);
    const workerRssMb = await idleRssMb(worker.child.pid as number);
    console.log(`worker (${await commandLine(worker.child.pid as number)}): ${round(workerRssMb)} MB RSS idle`);
    await Promise.all(running.splice(0).map((p) => stopProcess(p, 'SIGTERM', 15_000)));

    // npm start exactly as a newcomer types it, on an empty folder: it seeds the demo Home. Its script in
    // package.json must run the bundle with the flags measured for it.
    const startScript = (
      JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts.start;
    const startCommand = `node ${EMBEDDED_NODE_FLAGS.join(' ')} dist/start.js`;
    if (!startScript?.endsWith(startCommand)) {
      throw new Error(`package.json's start script should end with "${startCommand}": it is "${startScript}"`);
    }
    const startDir = await mkdtemp(path.join(os.tmpdir(), 'affection-memory-start-'));
    const startPort = await getFreeTcpPort();
    const start = await spawnUntilReady({
      command: 'npm',
      args: ['start'],
      env: { PATH: testEnv.searchPath, HOME: os.homedir(), PORT: String(startPort), DATA_DIR: startDir },
      cwd: root,
      label: 'npm start',
      readyWhen: (line) => line.includes('Press Ctrl-C to stop everything'),
      timeoutMs: 300_000,
    });
    running.push(start);
    let startRssMb = 0;
    let app: { pid: number; name: string } | undefined;
    const others: string[] = [];
    try {
      // The Node process that serves: the deepest one running the start script (not the shell npm runs it in; under
      // tsx, the loader's child, not tsx's own process).
      const tree = await descendants(start.child.pid as number);
      for (const p of tree) {
        const argv = await commandLine(p.pid).catch(() => '');
        if (/(dist\/start\.js|scripts\/start\.ts)/.test(argv) && !/^(\/bin\/)?sh /.test(argv)) app = p;
      }
      if (!app) throw new Error(`no node process below npm start: ${JSON.stringify(tree)}`);
      startRssMb = await idleRssMb(app.pid);
      console.log(`npm start's serving process (${await commandLine(app.pid)}): ${round(startRssMb)} MB RSS idle`);
      for (const p of await descendants(start.child.pid as number)) {
        if (p.pid === app.pid) continue;
        others.push(`${p.name} ${round(await rssMb(p.pid).catch(() => 0))} MB`);
      }
      console.log(`beside it: npm ${round(await rssMb(start.child.pid as number))} MB, ${others.join(', ')}`);
    } finally {
      // Ctrl-C as the terminal would give it: to the serving process (npm and tsx exit with it), or, when it was not
      // found, to every process below npm, so that nothing is left running.
      for (const p of app ? [app] : await descendants(start.child.pid as number)) {
        try {
          process.kill(p.pid, 'SIGINT');
        } catch {
          // Already gone.
        }
      }
      await stopProcess(start, 'SIGINT', 25_000);
      running.splice(running.indexOf(start), 1);
      await rm(startDir, { recursive: true, force: true });
    }
    return {
      serverRssMb: round(serverRssMb),
      serverLivekitRssMb: round(serverLivekitRssMb),
      workerRssMb: round(workerRssMb),
      startRssMb: round(startRssMb),
      nodeFlags: flags.join(' '),
      ...(fromSource ? { from: 'source (tsx)' } : {}),
    };
  } finally {
    await Promise.all(running.map((p) => stopProcess(p, 'SIGKILL')));
    await redis.stop();
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

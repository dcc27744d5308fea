import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readDevToolPaths } from '../env.ts';
import { type ProcessExit, type RunningProcess, spawnUntilReady, stopProcess } from './child-process.ts';
import { findBinary } from './find-binary.ts';
import { getFreeTcpPort } from './free-port.ts';

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /** Folder for the AOF; default a fresh temporary folder, removed by `stop()`. */
  dataDir?: string;
  /** Port; default a free loopback port. */
  port?: number;
  /** Extra `redis-server` arguments. */
  extraArgs?: string[];
  /** Where to look for `redis-server`; default `PATH` (then `/usr/bin`, `/usr/sbin`, `/usr/local/bin`). */
  searchPath?: string;
}

/** A redis-server we started, with the controls supervision and fault tests need. */
export interface RedisServer {
  url: string;
  port: number;
  dataDir: string;
  /** Process id of the running redis-server (changes on restart). */
  readonly pid: number | undefined;
  /** Resolves when the current redis-server process exits, for whatever reason. */
  waitForExit(): Promise<ProcessExit>;
  /** Stops it gracefully (SIGTERM; SIGKILL after `graceMs`, default 5 s) and removes a temporary data folder. */
  stop(graceMs?: number): Promise<void>;
  /** Kills it at once (SIGKILL by default), like a crash. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder (it reloads its AOF); stops the running one first. */
  restart(): Promise<void>;
}

/** The command that installs the missing binary; used in every "not found" message. */
export const REDIS_INSTALL_HINT = 'redis-server was not found. Install it with: sudo apt-get install -y redis-server';

/**
 * Starts our own `redis-server` on loopback, with the settings BullMQ wants:
 * AOF every second, `noeviction`, `hz 100`. Resolves when it accepts connections.
 *
 * @example const redis = await startRedis(); …; await redis.stop();
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const searchPath = options.searchPath ?? readDevToolPaths().searchPath;
  const binary = findBinary(['redis-server'], searchPath, ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  if (!binary) throw new Error(REDIS_INSTALL_HINT);
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'affection-redis-')));
  const port = options.port ?? (await getFreeTcpPort());
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--hz',
    '100',
    '--save',
    '',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    ...(options.extraArgs ?? []),
  ];
  const launch = () =>
    spawnUntilReady({
      command: binary,
      args,
      label: `redis-server on port ${port}`,
      readyWhen: (line) => line.includes('Ready to accept connections'),
    });
  let running: RunningProcess = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    get pid() {
      return running.child.pid;
    },
    waitForExit: () => running.exit,
    async stop(graceMs = 5_000) {
      await stopProcess(running, 'SIGTERM', graceMs);
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
    async kill(signal = 'SIGKILL') {
      await stopProcess(running, signal);
    },
    async restart() {
      await stopProcess(running, 'SIGTERM', 5_000);
      running = await launch();
    },
  };
}

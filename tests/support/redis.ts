import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type RunningProcess, spawnUntilReady, stopProcess } from './child-process.ts';
import { testEnv } from './env.ts';
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
}

/** A redis-server we started, with the controls fault tests need. */
export interface RedisServer {
  url: string;
  port: number;
  dataDir: string;
  /** Stops it gracefully (SIGTERM) and removes a temporary data folder. */
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL by default), like a crash. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder (it reloads its AOF). */
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
  const binary = findBinary(['redis-server'], testEnv.searchPath, ['/usr/bin', '/usr/sbin', '/usr/local/bin']);
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
    async stop() {
      await stopProcess(running, 'SIGTERM');
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
    async kill(signal = 'SIGKILL') {
      await stopProcess(running, signal);
    },
    async restart() {
      await stopProcess(running, 'SIGTERM');
      running = await launch();
    },
  };
}

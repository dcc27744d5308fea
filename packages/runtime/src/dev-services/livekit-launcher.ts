import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readDevToolPaths } from '../env.ts';
import { type ProcessExit, type RunningProcess, spawnUntilReady, stopProcess } from './child-process.ts';
import { findBinary } from './find-binary.ts';
import { getFreeTcpPort, getFreeUdpPort } from './free-port.ts';

/** Options for {@link startLivekit}. */
export interface StartLivekitOptions {
  /** Where LiveKit posts its webhooks (the server under test). */
  webhookUrls?: string[];
  /** Redis for LiveKit's SIP state; use another logical db than the app's (e.g. `/5`). */
  redisUrl?: string;
  /** `--dev` style fixed credentials instead of random ones. */
  apiKey?: string;
  apiSecret?: string;
  /** Fixed signal port (default a free one). */
  port?: number;
  /** Log level, default `info`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A file to keep the server's process id in (rewritten on restart, removed on stop), for `stopLeftOver`. */
  pidFile?: string;
  /** Where to look for the binary; default `PATH` and the tool cache ({@link readDevToolPaths}). */
  paths?: { searchPath: string; toolCacheDir: string };
}

/** A running LiveKit server. */
export interface LivekitServer {
  /** ws:// URL for clients. */
  wsUrl: string;
  /** http:// URL for the server API. */
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Process id of the running server (changes on restart). */
  readonly pid: number | undefined;
  /** Resolves when the current server process exits, for whatever reason. */
  waitForExit(): Promise<ProcessExit>;
  /** Starts it again on the same ports, keys and webhooks; stops the running one first. */
  restart(): Promise<void>;
  /** Stops it (SIGTERM, then SIGKILL after a short grace) and removes its config folder. */
  stop(): Promise<void>;
}

/** The commands that install the LiveKit server into the folder the launcher looks in. */
export function livekitInstallHint(paths = readDevToolPaths()): string {
  return (
    'livekit-server was not found. Install it with Go (5-10 minutes the first time):\n' +
    `  GOBIN="${paths.toolCacheDir}" go install github.com/livekit/livekit-server/cmd/server@v1.13.5\n` +
    `  ln -sf "${paths.toolCacheDir}/server" "${paths.toolCacheDir}/livekit-server"\n` +
    'or run `bash .ci/run`, which does it for you.'
  );
}

/** The LiveKit binary on PATH or in the tool cache, or `undefined`. */
export function findLivekitBinary(paths = readDevToolPaths()): string | undefined {
  return (
    findBinary(['livekit-server'], paths.searchPath) ??
    findBinary(['livekit-server', 'server'], '', [paths.toolCacheDir])
  );
}

/**
 * Starts `livekit-server` with a generated config on free loopback ports and a random API key
 * and secret (or the ones given). Resolves once it listens.
 */
export async function startLivekit(options: StartLivekitOptions = {}): Promise<LivekitServer> {
  const paths = options.paths ?? readDevToolPaths();
  const binary = findLivekitBinary(paths);
  if (!binary) throw new Error(livekitInstallHint(paths));
  const apiKey = options.apiKey ?? `API${randomBytes(6).toString('hex')}`;
  const apiSecret = options.apiSecret ?? randomBytes(24).toString('hex');
  const port = options.port ?? (await getFreeTcpPort());
  const tcpPort = await getFreeTcpPort();
  const udpPort = await getFreeUdpPort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'affection-livekit-'));
  const config: Record<string, unknown> = {
    port,
    bind_addresses: ['127.0.0.1'],
    rtc: { tcp_port: tcpPort, udp_port: udpPort, use_external_ip: false, node_ip: '127.0.0.1' },
    keys: { [apiKey]: apiSecret },
    logging: { level: options.logLevel ?? 'info', json: true },
    room: { empty_timeout: 300, departure_timeout: 20 },
  };
  if (options.webhookUrls?.length) config.webhook = { api_key: apiKey, urls: options.webhookUrls };
  if (options.redisUrl) {
    const redis = new URL(options.redisUrl);
    config.redis = { address: `${redis.hostname}:${redis.port || 6379}`, db: Number(redis.pathname.slice(1) || 0) };
  }
  // JSON is valid YAML, which is what LiveKit reads.
  const configPath = path.join(dir, 'livekit.yaml');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const launch = async () => {
    const started = await spawnUntilReady({
      command: binary,
      args: ['--config', configPath],
      label: `livekit-server on port ${port}`,
      readyWhen: (line) => line.includes('starting LiveKit server'),
    });
    if (options.pidFile) await writeFile(options.pidFile, `${started.child.pid}\n`);
    return started;
  };
  // LiveKit drains its rooms on SIGTERM and can wait there for minutes after a room was
  // deleted; it holds nothing we keep, so give it a short grace and then end it.
  const graceMs = 3_000;
  let running: RunningProcess;
  try {
    running = await launch();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    apiKey,
    apiSecret,
    get pid() {
      return running.child.pid;
    },
    waitForExit: () => running.exit,
    async restart() {
      await stopProcess(running, 'SIGTERM', graceMs);
      running = await launch();
    },
    async stop() {
      await stopProcess(running, 'SIGTERM', graceMs);
      await rm(dir, { recursive: true, force: true });
      if (options.pidFile) await rm(options.pidFile, { force: true });
    },
  };
}

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readDevToolPaths } from '../env.ts';
import { type ProcessExit, type RunningProcess, spawnUntilReady, stopProcess } from './child-process.ts';
import { findBinary } from './find-binary.ts';
import { getFreeTcpPort, getFreeUdpPort } from './free-port.ts';
import { isLoopbackHost, isWildcardHost, lanAddresses } from './lan-address.ts';

/** LiveKit's own ports, used when it serves the LAN so that a firewall can be opened for them once. */
export const LIVEKIT_LAN_PORTS = {
  /** Signalling and the server API (HTTP and WebSocket). */
  port: 7880,
  /** ICE over TCP, for clients whose UDP is blocked. */
  tcpPort: 7881,
  /** Media over UDP: one port per connection from this range. */
  udpPortRange: { start: 50000, end: 60000 },
} as const;

/** Options for {@link startLivekit}. */
export interface StartLivekitOptions {
  /** Where LiveKit posts its webhooks (the server under test). */
  webhookUrls?: string[];
  /** Redis for LiveKit's SIP state; use another logical db than the app's (e.g. `/5`). */
  redisUrl?: string;
  /** `--dev` style fixed credentials instead of random ones. */
  apiKey?: string;
  apiSecret?: string;
  /** Fixed signal port (default a free one; {@link LIVEKIT_LAN_PORTS} when serving the LAN). */
  port?: number;
  /**
   * The address LiveKit listens on. Default `127.0.0.1` (this machine only). `0.0.0.0` or one of the machine's
   * addresses serves the LAN: then the media ports are a UDP range plus the TCP fallback, and clients are told
   * {@link StartLivekitOptions.nodeIp}.
   */
  host?: string;
  /**
   * The address LiveKit gives clients for media (its `node_ip`). Default `127.0.0.1` on loopback; on the LAN the host
   * itself when it is one address, else the machine's first LAN address (private ranges first).
   */
  nodeIp?: string;
  /** Ports when serving the LAN; each defaults to {@link LIVEKIT_LAN_PORTS}. Ignored on loopback. */
  lanPorts?: { tcpPort?: number; udpPortRange?: { start: number; end: number } };
  /** Log level, default `info`. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A file to keep the server's process id in (rewritten on restart, removed on stop), for `stopLeftOver`. */
  pidFile?: string;
  /** Where to look for the binary; default `PATH` and the tool cache ({@link readDevToolPaths}). */
  paths?: { searchPath: string; toolCacheDir: string };
}

/** A running LiveKit server. */
export interface LivekitServer {
  /** ws:// URL for clients (at the node IP when serving the LAN). */
  wsUrl: string;
  /** http:// URL for the server API. */
  httpUrl: string;
  /** The address LiveKit listens on. */
  host: string;
  /** The address clients are given for media. */
  nodeIp: string;
  /** The config file it runs with (JSON, which LiveKit reads as YAML); removed on stop. */
  configPath: string;
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
    'or run `bash scripts/test.sh --prepare`, which does it for you.'
  );
}

/** The LiveKit binary on PATH or in the tool cache, or `undefined`. */
export function findLivekitBinary(paths = readDevToolPaths()): string | undefined {
  return (
    findBinary(['livekit-server'], paths.searchPath) ??
    findBinary(['livekit-server', 'server'], '', [paths.toolCacheDir])
  );
}

/** The `node_ip` for a LiveKit listening on `host`; throws when it serves the LAN and the machine has no LAN address. */
function nodeIpFor(host: string): string {
  if (isLoopbackHost(host)) return '127.0.0.1';
  if (!isWildcardHost(host)) return host;
  const [first] = lanAddresses();
  if (first === undefined) {
    throw new Error(
      `LiveKit is asked to serve the LAN (${host}) but this machine has no LAN IPv4 address: ` +
        'connect it to the network, or set LIVEKIT_NODE_IP to the address clients reach it at.',
    );
  }
  return first;
}

/**
 * Starts `livekit-server` with a generated config and a random API key and secret (or the ones given). Resolves once
 * it listens. By default on free loopback ports with one UDP port; with a LAN `host` on LiveKit's usual ports
 * ({@link LIVEKIT_LAN_PORTS}), a UDP range, the TCP fallback and the machine's LAN address as node IP.
 */
export async function startLivekit(options: StartLivekitOptions = {}): Promise<LivekitServer> {
  const paths = options.paths ?? readDevToolPaths();
  const binary = findLivekitBinary(paths);
  if (!binary) throw new Error(livekitInstallHint(paths));
  const apiKey = options.apiKey ?? `API${randomBytes(6).toString('hex')}`;
  const apiSecret = options.apiSecret ?? randomBytes(24).toString('hex');
  // A loopback name (`localhost`, `::1`) is LiveKit's 127.0.0.1, where the clients on this machine look for it.
  const onLan = options.host !== undefined && !isLoopbackHost(options.host);
  const host = onLan && options.host !== undefined ? options.host : '127.0.0.1';
  const nodeIp = options.nodeIp ?? nodeIpFor(host);
  const port = options.port ?? (onLan ? LIVEKIT_LAN_PORTS.port : await getFreeTcpPort());
  const rtc = onLan
    ? {
        tcp_port: options.lanPorts?.tcpPort ?? LIVEKIT_LAN_PORTS.tcpPort,
        port_range_start: options.lanPorts?.udpPortRange?.start ?? LIVEKIT_LAN_PORTS.udpPortRange.start,
        port_range_end: options.lanPorts?.udpPortRange?.end ?? LIVEKIT_LAN_PORTS.udpPortRange.end,
      }
    : { tcp_port: await getFreeTcpPort(), udp_port: await getFreeUdpPort() };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'affection-livekit-'));
  const config: Record<string, unknown> = {
    port,
    bind_addresses: [host],
    rtc: { ...rtc, use_external_ip: false, node_ip: nodeIp },
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
  const address = onLan ? nodeIp : '127.0.0.1';
  return {
    wsUrl: `ws://${address}:${port}`,
    httpUrl: `http://${address}:${port}`,
    host,
    nodeIp,
    configPath,
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

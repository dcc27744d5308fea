import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig, LivekitConfig } from '@affection/config';
import type { Logger } from 'pino';
import { readDevToolPaths } from '../env.ts';
import { isLoopbackHost } from './lan-address.ts';
import {
  findLivekitBinary,
  LIVEKIT_LAN_PORTS,
  type LivekitServer,
  livekitInstallHint,
  startLivekit,
} from './livekit-launcher.ts';
import { type RedisServer, startRedis } from './redis-launcher.ts';
import { stopLeftOver } from './stop-left-over.ts';
import { type SupervisedService, superviseChild } from './supervise-child.ts';

/** The key and secret of LiveKit's dev mode, which `npm start` uses for the LiveKit it starts. */
export const DEV_LIVEKIT_CREDENTIALS = { apiKey: 'devkey', apiSecret: 'secret' } as const;

/** Options for {@link startDevServices}. */
export interface StartDevServicesOptions {
  logger: Logger;
  /** Start LiveKit when `LIVEKIT_URL` is unset and the binary is installed. Default true. */
  livekit?: boolean;
  /**
   * This process holds the `DATA_DIR` lock: LiveKit's process id is kept in `DATA_DIR/livekit.pid`, and a LiveKit an
   * earlier start left running is stopped first. Default false. (Redis always lives in `DATA_DIR/redis`, which only
   * the lock holder uses.)
   */
  holdsDataDir?: boolean;
}

/** What {@link startDevServices} started. */
export interface DevServices {
  /** The config with `REDIS_URL` and LiveKit pointing at what was started. */
  config: AppConfig;
  /** Our Redis, when `REDIS_URL` was unset. */
  redis: RedisServer | undefined;
  /** Our LiveKit (dev key), when `LIVEKIT_URL` was unset and the binary is installed. */
  livekit: LivekitServer | undefined;
  /** Lines for the start banner: where each service is. */
  notes: string[];
  /**
   * Stops restarting Redis and LiveKit, which keep running: the first step of a shutdown (a Ctrl-C reaches the whole
   * process group, so the children may exit while the rest closes, and must not be started again).
   */
  stopSupervising(): void;
  /** Stops supervising and stops LiveKit, then Redis. */
  stop(): Promise<void>;
}

/**
 * `npm start`'s own services: a Redis in `DATA_DIR/redis` unless `REDIS_URL` is set, and LiveKit in dev mode (key
 * `devkey`) unless `LIVEKIT_URL` is set or LiveKit is not installed — each supervised ({@link superviseChild}): if
 * one dies it is started again on the same port (Redis reloads its AOF), so the app's connections come back on
 * their own.
 */
export async function startDevServices(config: AppConfig, options: StartDevServicesOptions): Promise<DevServices> {
  const notes: string[] = [];
  const supervised: SupervisedService[] = [];
  const stop = async () => {
    for (const service of supervised.splice(0).reverse()) await service.stop().catch(() => undefined);
  };
  try {
    let redis: RedisServer | undefined;
    let redisUrl = config.redisUrl;
    if (redisUrl) {
      notes.push(`Redis: ${redisUrl} (REDIS_URL)`);
    } else {
      const redisDir = path.join(config.dataDir, 'redis');
      await mkdir(redisDir, { recursive: true });
      // A Redis an earlier npm start left running (it was killed before it could stop it) still writes this AOF.
      const pidFile = path.join(redisDir, 'redis-server.pid');
      const leftOver = await stopLeftOver(pidFile, 'redis-server');
      if (leftOver !== undefined) {
        options.logger.warn({ devService: 'redis', pid: leftOver }, 'stopped a Redis left running by an earlier start');
      }
      redis = await startRedis({ dataDir: redisDir, extraArgs: ['--pidfile', pidFile] });
      redisUrl = redis.url;
      supervised.push(superviseChild(redis, { name: 'redis', logger: options.logger }));
      options.logger.info({ devService: 'redis', pid: redis.pid, port: redis.port }, 'dev service started');
      notes.push(`Redis: ${redis.url} (own, data in ${redisDir})`);
    }

    let livekit: LivekitServer | undefined;
    let livekitConfig: LivekitConfig | null = config.livekit;
    if (livekitConfig) {
      notes.push(`LiveKit: ${livekitConfig.url}`);
    } else if (options.livekit !== false && findLivekitBinary()) {
      const pidFile = options.holdsDataDir ? path.join(config.dataDir, 'livekit.pid') : undefined;
      const leftOver = pidFile ? await stopLeftOver(pidFile, 'livekit', 3_000) : undefined;
      if (leftOver !== undefined) {
        options.logger.warn(
          { devService: 'livekit', pid: leftOver },
          'stopped a LiveKit left running by an earlier start',
        );
      }
      // Where the server listens, LiveKit listens too: HOST=0.0.0.0 puts both on the LAN.
      livekit = await startLivekit({
        ...DEV_LIVEKIT_CREDENTIALS,
        webhookUrls: [`${config.publicUrl}/webhooks/livekit`],
        host: config.host,
        ...(config.livekitNodeIp ? { nodeIp: config.livekitNodeIp } : {}),
        ...(pidFile ? { pidFile } : {}),
      });
      livekitConfig = { url: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret };
      supervised.push(superviseChild(livekit, { name: 'livekit', logger: options.logger }));
      const port = new URL(livekit.httpUrl).port;
      options.logger.info({ devService: 'livekit', pid: livekit.pid, port: Number(port) }, 'dev service started');
      notes.push(
        isLoopbackHost(livekit.host)
          ? `LiveKit (dev, key devkey): ${livekit.wsUrl}`
          : `LiveKit (dev, key devkey): ${livekit.wsUrl} on ${livekit.host}, media at ${livekit.nodeIp} ` +
              `(TCP ${LIVEKIT_LAN_PORTS.port} and ${LIVEKIT_LAN_PORTS.tcpPort}, ` +
              `UDP ${LIVEKIT_LAN_PORTS.udpPortRange.start}-${LIVEKIT_LAN_PORTS.udpPortRange.end})`,
      );
    } else {
      notes.push(
        `Calls are disabled until LiveKit is installed. ${livekitInstallHint(readDevToolPaths()).split('\n')[0]} See README "Prerequisites".`,
      );
    }
    const stopSupervising = () => {
      for (const service of supervised) service.stopSupervising();
    };
    return { config: { ...config, redisUrl, livekit: livekitConfig }, redis, livekit, notes, stopSupervising, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

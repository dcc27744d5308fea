import { errorForLog } from '@affection/db';
import { Redis } from 'ioredis';
import type { JobLogger } from './job-logger.ts';

/** Options of {@link createWorkerConnection} and {@link createProducerConnection}. */
export interface RedisConnectionOptions {
  /**
   * Where connection errors go, as one JSON warning per outage (then one info line when the connection is back).
   * Without it errors are still handled (never printed by ioredis as a plain-text stack), just not logged.
   */
  logger?: JobLogger;
  /** Names the connection in those lines, e.g. `worker`, `producer`, `server`. */
  name?: string;
}

/**
 * Gives `client` an `error` listener — without one ioredis prints every connection error as a plain-text stack —
 * that logs the first error of an outage as a JSON warning (the error's class and code only: no message, no command arguments) and the
 * recovery as one info line. Returns the client.
 */
export function watchRedisErrors(client: Redis, options: RedisConnectionOptions = {}): Redis {
  let isFailing = false;
  client.on('error', (error: Error) => {
    if (isFailing) return;
    isFailing = true;
    options.logger?.warn(
      { redis: options.name ?? 'connection', err: errorForLog(error) },
      'redis connection error: retrying',
    );
  });
  client.on('ready', () => {
    if (!isFailing) return;
    isFailing = false;
    options.logger?.info({ redis: options.name ?? 'connection' }, 'redis connection is back');
  });
  return client;
}

/**
 * A Redis connection for BullMQ workers and queue events: `maxRetriesPerRequest: null`, as
 * BullMQ requires for blocking commands, so a Redis restart pauses work instead of failing it.
 * Its errors are handled ({@link watchRedisErrors}).
 */
export function createWorkerConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  return watchRedisErrors(new Redis(url, { maxRetriesPerRequest: null }), options);
}

/**
 * A Redis connection for producers (enqueueing from a request): fails fast so an HTTP request
 * is not held for long while Redis is away. Its errors are handled ({@link watchRedisErrors}).
 */
export function createProducerConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  return watchRedisErrors(new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true }), options);
}

import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ workers and queue events: `maxRetriesPerRequest: null`, as
 * BullMQ requires for blocking commands, so a Redis restart pauses work instead of failing it.
 */
export function createWorkerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

/**
 * A Redis connection for producers (enqueueing from a request): fails fast so an HTTP request
 * is not held for long while Redis is away.
 */
export function createProducerConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

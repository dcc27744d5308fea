import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE_NAMES } from '../queue-names.ts';
import { enqueueCallEvent } from './call-events.ts';

/** Hands stored LiveKit events to the `call-events` queue, from a process that runs no workers (the server). */
export interface CallEventsProducer {
  /** Enqueues the fold of a stored event (`webhook_events` row id): what `services.onLivekitEvent` does. */
  enqueue(webhookEventId: string): Promise<void>;
  /** Closes the queue (not the connection, which belongs to the caller). */
  close(): Promise<void>;
}

/**
 * A producer of call-event jobs on a Redis connection the caller created (a producer connection that fails fast, so
 * a webhook is not held while Redis is away: the event stays stored for the reconciler).
 *
 * @example
 * const callEvents = createCallEventsProducer(createProducerConnection(redisUrl));
 * services.onLivekitEvent = (_event, stored) => callEvents.enqueue(stored.webhookEventId);
 */
export function createCallEventsProducer(connection: Redis): CallEventsProducer {
  const queue = new Queue(QUEUE_NAMES.callEvents, { connection });
  // Failures surface on each enqueue; the queue's own error events would only repeat them.
  queue.on('error', () => {});
  return {
    enqueue: (webhookEventId) => enqueueCallEvent(queue, webhookEventId),
    close: () => queue.close(),
  };
}

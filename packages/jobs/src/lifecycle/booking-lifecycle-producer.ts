import type { SmsCountryPolicies } from '@affection/core';
import type { Db } from '@affection/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobLogger } from '../job-logger.ts';
import { QUEUE_NAMES } from '../queue-names.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import { planAndEnqueueBooking } from './plan-booking.ts';

/** What {@link createBookingLifecycleProducer} needs. */
export interface BookingLifecycleProducerOptions {
  /** A producer connection (`createProducerConnection`): fails fast, so a request is not held while Redis is away. */
  connection: Redis;
  db: Db;
  now: () => Date;
  logger: JobLogger;
  /** Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  smsPolicies?: SmsCountryPolicies;
}

/** Plans bookings' lifecycles from the process where bookings change (the server). */
export interface BookingLifecycleProducer {
  /**
   * Plans the booking's current version and enqueues its steps and messages. Never throws: the booking is already
   * changed, so a failure is logged and the lifecycle reconciler plans the booking within a minute.
   */
  onBookingChanged(bookingId: string): Promise<void>;
  /** Closes the queues (not the connection, which the caller owns). */
  close(): Promise<void>;
}

/**
 * A producer of booking lifecycles on the `lifecycle` and `sms` queues: what the server's booking routes call after
 * every change (`services.onBookingChanged`).
 *
 * @example
 * const lifecycle = createBookingLifecycleProducer({ connection: createProducerConnection(redisUrl), db, now, logger });
 * services.onBookingChanged = lifecycle.onBookingChanged;
 */
export function createBookingLifecycleProducer(options: BookingLifecycleProducerOptions): BookingLifecycleProducer {
  const lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection: options.connection });
  const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: options.connection });
  // Failures surface where a job is added (and are logged there); the connection reconnects on its own.
  lifecycleQueue.on('error', () => {});
  smsQueue.on('error', () => {});
  return {
    async onBookingChanged(bookingId: string) {
      try {
        await planAndEnqueueBooking(
          {
            db: options.db,
            lifecycleQueue,
            smsQueue,
            now: options.now,
            ...(options.timings ? { timings: options.timings } : {}),
            ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
          },
          bookingId,
        );
      } catch (error) {
        options.logger.warn(
          { bookingId, reason: (error as Error).message },
          'booking lifecycle not planned now: the reconciler will',
        );
      }
    },
    async close() {
      await Promise.all([lifecycleQueue.close(), smsQueue.close()]);
    },
  };
}

import type { SmsCountryPolicies } from '@affection/core';
import { type Db, errorForLog } from '@affection/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobLogger } from '../job-logger.ts';
import { QUEUE_NAMES } from '../queue-names.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import { type BookingPlan, enqueueBookingPlan, type LifecycleQueues, planBooking } from './plan-booking.ts';

/** What {@link createBookingLifecycleProducer} needs: its own queues on a connection, or queues it is given. */
export type BookingLifecycleProducerOptions = BookingLifecycleProducerSettings &
  (
    | {
        /** A producer connection (`createProducerConnection`) the producer opens its queues on. */
        connection: Redis;
      }
    | {
        /** Queues to use as they are (e.g. the in-process workers'); the producer does not close them. */
        queues: LifecycleQueues;
      }
  );

/** Settings of {@link createBookingLifecycleProducer}. */
export interface BookingLifecycleProducerSettings {
  db: Db;
  now: () => Date;
  logger: JobLogger;
  /** Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  smsPolicies?: SmsCountryPolicies;
  /**
   * How long a change waits for Redis to take its jobs. BullMQ waits for a lost connection to come back, and a
   * booking request must not wait with it: after this the request goes on (the plan is in the database) and the
   * jobs are added when Redis is back, or by the reconciler. Default 2 000 ms.
   */
  enqueueTimeoutMs?: number;
}

/** Plans bookings' lifecycles from the process where bookings change (the server). */
export interface BookingLifecycleProducer {
  /**
   * Plans the booking's current version and enqueues its steps and messages. Never throws: the booking is already
   * changed, so a failure is logged and the lifecycle reconciler plans the booking within a minute.
   */
  onBookingChanged(bookingId: string): Promise<void>;
  /** Closes the queues it opened (not the connection, which the caller owns, nor queues it was given). */
  close(): Promise<void>;
}

function openQueues(connection: Redis): LifecycleQueues {
  const queues = {
    lifecycleQueue: new Queue(QUEUE_NAMES.lifecycle, { connection }),
    smsQueue: new Queue(QUEUE_NAMES.sms, { connection }),
  };
  // Failures surface where a job is added (and are logged there); the connection reconnects on its own.
  queues.lifecycleQueue.on('error', () => {});
  queues.smsQueue.on('error', () => {});
  return queues;
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
  const ownsQueues = !('queues' in options);
  const { lifecycleQueue, smsQueue } = 'queues' in options ? options.queues : openQueues(options.connection);
  return {
    async onBookingChanged(bookingId: string) {
      const timings = options.timings ? { timings: options.timings } : {};
      const policies = options.smsPolicies ? { smsPolicies: options.smsPolicies } : {};
      // The error as errorForLog gives it, never its message: a failed insert's message holds the SMS text and number.
      const warn = (stage: 'plan' | 'enqueue', failure: unknown) =>
        options.logger.warn(
          { bookingId, stage, ...(failure === 'timed-out' ? { reason: 'timed-out' } : { err: errorForLog(failure) }) },
          'booking lifecycle not planned now: the reconciler will',
        );
      let plan: BookingPlan;
      try {
        plan = await planBooking({ db: options.db, now: options.now(), ...timings, ...policies }, bookingId);
      } catch (error) {
        warn('plan', error);
        return;
      }
      const enqueued = enqueueBookingPlan({ lifecycleQueue, smsQueue }, plan, options.now()).then(
        () => 'enqueued' as const,
        (error: Error) => {
          warn('enqueue', error);
          return 'failed' as const;
        },
      );
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(() => resolve('timed-out'), options.enqueueTimeoutMs ?? 2_000);
      });
      const outcome = await Promise.race([enqueued, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timed-out') warn('enqueue', 'timed-out');
    },
    async close() {
      if (ownsQueues) await Promise.all([lifecycleQueue.close(), smsQueue.close()]);
    },
  };
}

import { type BookingEvents, createBookingEvents } from '@affection/bookings';
import type { SmsCountryPolicies } from '@affection/core';
import type { Db } from '@affection/db';
import type { Redis } from 'ioredis';
import { publishHomeChange } from '../home-changes.ts';
import type { JobLogger } from '../job-logger.ts';
import { createBookingLifecycleProducer } from './booking-lifecycle-producer.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import type { LifecycleQueues } from './plan-booking.ts';

/** What {@link createJobBookingEvents} needs. */
export interface JobBookingEventsOptions {
  db: Db;
  now: () => Date;
  logger: JobLogger;
  /** The `lifecycle` and `sms` queues the plans are enqueued on (not closed here). */
  queues: LifecycleQueues;
  /** Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  /** Default the core's defaults. */
  smsPolicies?: SmsCountryPolicies;
}

/**
 * The booking events of a job (the weekly proposals, the end of a call): each change is audited and its lifecycle
 * planned and enqueued at once on the jobs' own queues — the same planning the server's routes get, so nothing
 * waits for the reconciler. A plan that fails is logged and left to the reconciler; it never fails the job.
 *
 * @example const events = createJobBookingEvents({ db, now, logger, queues: { lifecycleQueue, smsQueue } });
 */
export function createJobBookingEvents(options: JobBookingEventsOptions): BookingEvents {
  const producer = createBookingLifecycleProducer({
    db: options.db,
    now: options.now,
    logger: options.logger,
    queues: options.queues,
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
  });
  return createBookingEvents({
    db: options.db,
    now: options.now,
    planLifecycle: producer.onBookingChanged,
    // The open boards hear of the change over the lifecycle queue's own connection.
    announce: async (homeId, bookingId) => {
      const connection = options.queues.lifecycleQueue.opts.connection as Partial<Pick<Redis, 'publish'>> | undefined;
      if (typeof connection?.publish !== 'function') return;
      await publishHomeChange(connection as Pick<Redis, 'publish'>, homeId, { kind: 'booking', bookingId });
    },
  });
}

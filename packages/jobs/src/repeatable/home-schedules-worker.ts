import { listHomes } from '@affection/db';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobLogger } from '../job-logger.ts';
import { createJobBookingEvents } from '../lifecycle/job-booking-events.ts';
import { QUEUE_NAMES } from '../queue-names.ts';
import { sendDutyDigest } from './duty-digest.ts';
import type { HomeJobServices } from './home-job-services.ts';
import {
  type HomeJobName,
  HomeJobSchema,
  type ScheduleHomeJobsOptions,
  SYNC_HOME_SCHEDULES_JOB,
  scheduleHomeJobs,
} from './home-schedules.ts';
import { sendNoContactAlerts } from './no-contact-alert.ts';
import { proposeWeek } from './weekly-proposals.ts';

/** What {@link createHomeSchedulesWorker} needs. */
export interface CreateHomeSchedulesWorkerOptions extends Omit<HomeJobServices, 'bookingEvents'> {
  connection: Redis;
  /**
   * The `lifecycle` queue the plans of the bookings the jobs write go on. Default: one opened on `connection` and
   * closed with the worker.
   */
  lifecycleQueue?: Queue;
  /** The `home-schedules` queue itself (the sync upserts schedulers on it). */
  queue: Queue;
  logger: JobLogger;
  /** Cron patterns; default the standard ones. */
  schedules?: ScheduleHomeJobsOptions;
}

/** Runs one Home job now, outside any schedule (what the worker does when a scheduler fires). */
export async function runHomeJob(services: HomeJobServices, name: HomeJobName, homeId: string): Promise<unknown> {
  switch (name) {
    case 'duty-digest':
      return sendDutyDigest(services, homeId);
    case 'no-contact-alert':
      return sendNoContactAlerts(services, homeId);
    case 'weekly-proposals':
      return proposeWeek(services, homeId);
  }
}

/** (Re)creates the schedulers of every Home in the database. Returns how many Homes. */
export async function syncHomeSchedules(
  services: Pick<HomeJobServices, 'db'>,
  queue: Queue,
  options: ScheduleHomeJobsOptions = {},
): Promise<number> {
  const homes = await listHomes(services.db);
  await scheduleHomeJobs(queue, homes, options);
  return homes.length;
}

/**
 * The BullMQ worker of the `home-schedules` queue: the duty digest, the no-contact alert and the weekly proposals of
 * one Home per job, and the sync that keeps every Home's schedulers in place. One job at a time: the weekly proposals
 * of a Home must not race themselves.
 */
export function createHomeSchedulesWorker(deps: CreateHomeSchedulesWorkerOptions): Worker {
  const ownLifecycleQueue = deps.lifecycleQueue
    ? null
    : new Queue(QUEUE_NAMES.lifecycle, { connection: deps.connection });
  ownLifecycleQueue?.on('error', () => {});
  const lifecycleQueue = deps.lifecycleQueue ?? (ownLifecycleQueue as Queue);
  const services: HomeJobServices = {
    db: deps.db,
    smsQueue: deps.smsQueue,
    now: deps.now,
    ...(deps.smsPolicies ? { smsPolicies: deps.smsPolicies } : {}),
    bookingEvents: createJobBookingEvents({
      db: deps.db,
      now: deps.now,
      logger: deps.logger,
      queues: { lifecycleQueue, smsQueue: deps.smsQueue },
      ...(deps.smsPolicies ? { smsPolicies: deps.smsPolicies } : {}),
    }),
  };
  const worker = new Worker(
    QUEUE_NAMES.homeSchedules,
    async (job: Job) => {
      if (job.name === SYNC_HOME_SCHEDULES_JOB)
        return { homes: await syncHomeSchedules(services, deps.queue, deps.schedules) };
      if (job.name !== 'duty-digest' && job.name !== 'no-contact-alert' && job.name !== 'weekly-proposals') {
        throw new UnrecoverableError(`home-schedules: unknown job ${job.name}`);
      }
      const payload = HomeJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`${job.name} job ${job.id}: not a version 1 payload`);
      const report = await runHomeJob(services, job.name, payload.data.homeId);
      deps.logger.info({ job: job.name, homeId: payload.data.homeId, report }, 'home job done');
      return report;
    },
    { connection: deps.connection, concurrency: 1 },
  );
  if (ownLifecycleQueue) worker.on('closed', () => void ownLifecycleQueue.close().catch(() => undefined));
  return worker;
}

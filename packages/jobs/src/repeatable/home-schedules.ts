import type { Queue } from 'bullmq';
import { z } from 'zod';

/** The per-Home repeatable jobs on the `home-schedules` queue, by job name. */
export const HOME_JOB_NAMES = ['duty-digest', 'no-contact-alert', 'weekly-proposals'] as const;

/** One of {@link HOME_JOB_NAMES}. */
export type HomeJobName = (typeof HOME_JOB_NAMES)[number];

/** Name of the repeatable job that (re)creates every Home's job schedulers. */
export const SYNC_HOME_SCHEDULES_JOB = 'sync-home-schedules';

/**
 * When each Home job runs: a cron pattern read in the Home's own zone (BullMQ `tz`), so 07:30 stays 07:30 through
 * daylight saving time.
 * - `duty-digest`: 07:30 every day, before the Home opens;
 * - `no-contact-alert`: 08:00 every day;
 * - `weekly-proposals`: Sunday 19:00, for the week that starts the next morning.
 */
export const DEFAULT_HOME_JOB_PATTERNS: Readonly<Record<HomeJobName, string>> = {
  'duty-digest': '30 7 * * *',
  'no-contact-alert': '0 8 * * *',
  'weekly-proposals': '0 19 * * 0',
};

/** The payload of a Home job, version 1: the Home; everything else is read when it runs. */
export const HomeJobSchema = z.object({ v: z.literal(1), homeId: z.string().min(1) });

/** A Home job's payload. */
export type HomeJob = z.infer<typeof HomeJobSchema>;

/** The job scheduler id of one Home's job: `<job>:<homeId>`. */
export function homeSchedulerId(name: HomeJobName, homeId: string): string {
  return `${name}:${homeId}`;
}

/** Options for {@link scheduleHomeJobs}. */
export interface ScheduleHomeJobsOptions {
  /** Cron patterns by job. Default {@link DEFAULT_HOME_JOB_PATTERNS}. */
  patterns?: Partial<Record<HomeJobName, string>>;
}

/**
 * Upserts the job schedulers of each Home (idempotent: keyed by `<job>:<homeId>`; a Home whose zone changed gets
 * the new zone). Finished jobs are not kept: each run's outcome is in the database (messages, bookings).
 */
export async function scheduleHomeJobs(
  queue: Queue,
  homes: readonly { id: string; timeZone: string }[],
  options: ScheduleHomeJobsOptions = {},
): Promise<void> {
  const patterns = { ...DEFAULT_HOME_JOB_PATTERNS, ...options.patterns };
  for (const home of homes) {
    for (const name of HOME_JOB_NAMES) {
      const data: HomeJob = { v: 1, homeId: home.id };
      await queue.upsertJobScheduler(
        homeSchedulerId(name, home.id),
        { pattern: patterns[name], tz: home.timeZone },
        {
          name,
          data,
          opts: {
            removeOnComplete: true,
            removeOnFail: 100,
            attempts: 3,
            backoff: { type: 'exponential', delay: 5_000 },
          },
        },
      );
    }
  }
}

/**
 * Makes sure the repeatable sync of Home schedules exists (idempotent), so that a Home created or moved to another
 * zone gets its schedules within `everyMs` (default 10 minutes) without a restart.
 */
export async function scheduleHomeSchedulesSync(queue: Queue, options: { everyMs?: number } = {}): Promise<void> {
  await queue.upsertJobScheduler(
    SYNC_HOME_SCHEDULES_JOB,
    { every: options.everyMs ?? 600_000 },
    { name: SYNC_HOME_SCHEDULES_JOB, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}

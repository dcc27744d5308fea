import type { SmsCountryPolicies } from '@affection/core';
import { type BookingStepRecord, type Db, errorForLog, listBookingsToPlan, listStepsToRun } from '@affection/db';
import type { Queue } from 'bullmq';
import type { JobLogger } from './job-logger.ts';
import { lifecycleKey, PLANNED_BOOKING_STATUSES } from './lifecycle/decide-booking-plan.ts';
import type { LifecycleTimings } from './lifecycle/lifecycle-timings.ts';
import { enqueueSteps, planAndEnqueueBooking } from './lifecycle/plan-booking.ts';
import { type BookingStepKind, isBookingStepKind } from './lifecycle/step-handler.ts';

/** Name of the repeatable job (on the `lifecycle` queue) that runs {@link reconcileLifecycle}. */
export const RECONCILE_LIFECYCLE_JOB = 'reconcile-lifecycle';

/** Options for {@link reconcileLifecycle}. */
export interface ReconcileLifecycleOptions {
  db: Db;
  /** The `lifecycle` queue. */
  lifecycleQueue: Queue;
  /** The `sms` queue (plans store messages). */
  smsQueue: Queue;
  now: () => Date;
  logger?: JobLogger;
  /**
   * Pending steps due within this long (or overdue) get their job, delayed to the due time. Keep it longer than
   * the reconciler's period so every step has its job before it is due. Default 5 minutes.
   */
  horizonMs?: number;
  /** Bookings that ended longer ago than this are history: their missing plans are not made. Default 2 hours. */
  lookbackMs?: number;
  /** A `running` step claimed longer ago than this is presumed abandoned (see the step runner's lease). Default 180 s. */
  leaseMs?: number;
  /**
   * The lease of the quick steps (see `QUICK_STEP_KINDS`). Default 30 s. Running steps older than the shorter lease
   * get their job again; a job whose step is still leased waits for the lease to end.
   */
  quickLeaseMs?: number;
  /** The timings plans are made with. Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  smsPolicies?: SmsCountryPolicies;
  /** Rows read per page. Default 500. */
  batchSize?: number;
}

/** What one run of {@link reconcileLifecycle} did. */
export interface ReconcileLifecycleReport {
  /** Bookings whose plan was missing or stale, planned now. */
  planned: number;
  /** Bookings whose planning failed (logged; tried again next run). */
  failed: number;
  /** Steps due soon, overdue or abandoned whose job was (re-)enqueued. */
  enqueued: number;
}

function toEnqueue(step: BookingStepRecord) {
  return {
    id: step.id,
    jobId: lifecycleKey(step.bookingId, step.kind as BookingStepKind, step.bookingVersion),
    dueAt: step.dueAt,
  };
}

/**
 * Makes sure every booking step that should happen has a job, so that losing Redis, a crash between a booking's
 * change and its plan, or a change made where nobody plans (a webhook) loses no step:
 * 1. plans every booking in a planned status (`confirmed`, `in-progress`) that has not ended long ago and has no
 *    step of its current version, and every booking with a `pending` step of an older version;
 * 2. enqueues every `pending` step due within the horizon or overdue, and every `running` step whose runner is
 *    gone. Job ids are deterministic (`<bookingId>-<kind>-v<version>`), so a step whose job exists is not enqueued
 *    twice, and the step's claim makes a duplicate job harmless.
 */
export async function reconcileLifecycle(options: ReconcileLifecycleOptions): Promise<ReconcileLifecycleReport> {
  const now = options.now();
  const batchSize = options.batchSize ?? 500;
  let planned = 0;
  const failedIds = new Set<string>();
  // A planned booking leaves the list; one whose planning failed stays, so stop when a page brings nothing new.
  for (;;) {
    const limit = batchSize + failedIds.size;
    const ids = await listBookingsToPlan(options.db, {
      statuses: PLANNED_BOOKING_STATUSES,
      endsAfter: new Date(now.getTime() - (options.lookbackMs ?? 2 * 60 * 60_000)),
      limit,
    });
    const fresh = ids.filter((id) => !failedIds.has(id));
    if (fresh.length === 0) break;
    for (const bookingId of fresh) {
      try {
        await planAndEnqueueBooking(
          {
            db: options.db,
            lifecycleQueue: options.lifecycleQueue,
            smsQueue: options.smsQueue,
            now: options.now,
            ...(options.timings ? { timings: options.timings } : {}),
            ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
          },
          bookingId,
        );
        planned += 1;
      } catch (error) {
        failedIds.add(bookingId);
        options.logger?.warn({ bookingId, err: errorForLog(error) }, 'planning a booking failed');
      }
    }
    if (ids.length < limit) break;
  }

  let enqueued = 0;
  let after: { dueAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listStepsToRun(options.db, {
      dueBy: new Date(now.getTime() + (options.horizonMs ?? 5 * 60_000)),
      staleBefore: new Date(now.getTime() - Math.min(options.leaseMs ?? 180_000, options.quickLeaseMs ?? 30_000)),
      limit: batchSize,
      ...(after ? { after } : {}),
    });
    if (page.length === 0) break;
    const steps = page.filter((step) => isBookingStepKind(step.kind)).map(toEnqueue);
    await enqueueSteps(options.lifecycleQueue, steps, { now: options.now() });
    enqueued += steps.length;
    const last = page.at(-1);
    if (!last || page.length < batchSize) break;
    after = { dueAt: last.dueAt, id: last.id };
  }
  return { planned, failed: failedIds.size, enqueued };
}

/**
 * Makes sure the repeatable lifecycle reconciler exists on the `lifecycle` queue (idempotent: a job scheduler
 * keyed by name, so every worker process may call it at start and after Redis comes back).
 */
export async function scheduleLifecycleReconciler(
  lifecycleQueue: Queue,
  options: { everyMs?: number } = {},
): Promise<void> {
  await lifecycleQueue.upsertJobScheduler(
    RECONCILE_LIFECYCLE_JOB,
    { every: options.everyMs ?? 60_000 },
    { name: RECONCILE_LIFECYCLE_JOB },
  );
}

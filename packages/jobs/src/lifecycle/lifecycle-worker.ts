import type { CallRooms, PhoneBridge, SmsCountryPolicies, VoiceNotifier } from '@affection/core';
import type { Db } from '@affection/db';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobLogger } from '../job-logger.ts';
import { QUEUE_NAMES } from '../queue-names.ts';
import { RECONCILE_LIFECYCLE_JOB, type ReconcileLifecycleReport, reconcileLifecycle } from '../reconcile-lifecycle.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import { RUN_STEP_JOB, RunStepJobSchema, STEP_BACKOFF_TYPE } from './plan-booking.ts';
import { type RunBookingStepOutcome, runBookingStep } from './run-step.ts';
import type { BookingStepHandlers } from './step-handler.ts';
import { BOOKING_STEP_HANDLERS } from './step-handlers.ts';

/** Tuning of the `lifecycle` queue's worker. */
export interface LifecycleWorkerOptions {
  /** Steps run in parallel by this process (ringing a phone waits for an answer). Default 10. */
  concurrency?: number;
  /** When steps fall due. Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  /** See `RunBookingStepOptions.leaseMs`. Default 180 000 ms. */
  leaseMs?: number;
  /** See `RunBookingStepOptions.quickLeaseMs`. Default 30 000 ms. */
  quickLeaseMs?: number;
  /** See `RunBookingStepOptions.earlyToleranceMs`. Default 1 000 ms. */
  earlyToleranceMs?: number;
  /** See `RunBookingStepOptions.maxAttempts`. Default 6. */
  maxAttempts?: number;
  /** First retry delay; doubled at each attempt, with jitter, never shorter than a handler asked. Default 2 000 ms. */
  backoffMs?: number;
  /** Longest retry delay. Default 60 000 ms. */
  backoffMaxMs?: number;
  /** Period of the lifecycle reconciler. Default 60 000 ms. */
  reconcileEveryMs?: number;
  /** Pending steps due within this long get their job from the reconciler. Default 300 000 ms. */
  reconcileHorizonMs?: number;
  /** Which countries' numbers may get links and reply prompts in lifecycle SMS. Default the core's defaults. */
  smsPolicies?: SmsCountryPolicies;
}

/** What {@link createLifecycleWorker} needs. */
export interface CreateLifecycleWorkerOptions {
  connection: Redis;
  db: Db;
  /** The `lifecycle` queue itself (re-plans and the reconciler enqueue on it). */
  lifecycleQueue: Queue;
  /** The `sms` queue (plans and SMS steps enqueue on it). */
  smsQueue: Queue;
  /** `null` when LiveKit is not configured: rooms are `unavailable`. */
  callRooms: CallRooms | null;
  /** `null` when SIP is not configured: ringing is `unavailable`. */
  phoneBridge: PhoneBridge | null;
  /** Places voice notification calls; `null` or absent: `voice-notify` steps are `unavailable`. */
  voiceNotifier?: VoiceNotifier | null;
  logger: JobLogger;
  now: () => Date;
  /** Default {@link BOOKING_STEP_HANDLERS}. */
  handlers?: BookingStepHandlers;
  options?: LifecycleWorkerOptions;
}

/** A lifecycle worker and its reconciler. */
export interface LifecycleWorker {
  worker: Worker;
  /** Runs the lifecycle reconciler now (one run at a time per process). */
  reconcileNow(): Promise<ReconcileLifecycleReport>;
}

/** A retry with the delay the handler asked for. */
class StepRetryError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super(message);
    this.name = 'StepRetryError';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The BullMQ worker of the `lifecycle` queue: {@link RUN_STEP_JOB} runs one booking step through
 * {@link runBookingStep} and turns its outcome into BullMQ's next step — done; failed for good
 * (`UnrecoverableError`); delayed until due or until another runner's lease runs out; or retried with
 * exponential backoff. {@link RECONCILE_LIFECYCLE_JOB} runs the lifecycle reconciler.
 */
export function createLifecycleWorker(deps: CreateLifecycleWorkerOptions): LifecycleWorker {
  const options = deps.options ?? {};
  const backoffMs = options.backoffMs ?? 2_000;
  const backoffMaxMs = options.backoffMaxMs ?? 60_000;
  const run = {
    db: deps.db,
    callRooms: deps.callRooms,
    phoneBridge: deps.phoneBridge,
    voiceNotifier: deps.voiceNotifier ?? null,
    smsQueue: deps.smsQueue,
    lifecycleQueue: deps.lifecycleQueue,
    now: deps.now,
    logger: deps.logger,
    handlers: deps.handlers ?? BOOKING_STEP_HANDLERS,
    ...(options.timings ? { timings: options.timings } : {}),
    ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
    ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
    ...(options.quickLeaseMs !== undefined ? { quickLeaseMs: options.quickLeaseMs } : {}),
    ...(options.earlyToleranceMs !== undefined ? { earlyToleranceMs: options.earlyToleranceMs } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  };

  let reconciling: Promise<ReconcileLifecycleReport> | undefined;
  const reconcileNow = () => {
    reconciling ??= reconcileLifecycle({
      db: deps.db,
      lifecycleQueue: deps.lifecycleQueue,
      smsQueue: deps.smsQueue,
      now: deps.now,
      logger: deps.logger,
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      ...(options.quickLeaseMs !== undefined ? { quickLeaseMs: options.quickLeaseMs } : {}),
      ...(options.reconcileHorizonMs !== undefined ? { horizonMs: options.reconcileHorizonMs } : {}),
    }).finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };

  async function actOn(outcome: RunBookingStepOutcome, job: Job, token: string | undefined) {
    switch (outcome.kind) {
      case 'done':
      case 'cancelled':
      case 'settled':
        return outcome;
      case 'failed':
        deps.logger.warn({ jobId: job.id, reason: outcome.note }, 'booking step failed');
        throw new UnrecoverableError(outcome.note);
      case 'not-due':
      case 'waiting':
      case 'in-flight':
        await job.moveToDelayed(outcome.at.getTime(), token);
        throw new DelayedError();
      case 'retry':
        throw new StepRetryError(outcome.reason, outcome.retryAfterMs);
    }
  }

  const worker = new Worker(
    QUEUE_NAMES.lifecycle,
    async (job: Job, token?: string) => {
      if (job.name === RECONCILE_LIFECYCLE_JOB) {
        const report = await reconcileNow();
        if (report.planned > 0 || report.failed > 0) deps.logger.info({ ...report }, 'lifecycle reconciled');
        return report;
      }
      if (job.name !== RUN_STEP_JOB) throw new UnrecoverableError(`lifecycle: unknown job ${job.name}`);
      const payload = RunStepJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`run-step job ${job.id}: not a version 1 payload`);
      return actOn(await runBookingStep(run, payload.data.stepId), job, token);
    },
    {
      connection: deps.connection,
      concurrency: options.concurrency ?? 10,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) => {
          if (type !== STEP_BACKOFF_TYPE) return backoffMs;
          const exponential = Math.min(backoffMaxMs, backoffMs * 2 ** Math.max(0, attemptsMade - 1));
          const jittered = Math.round(exponential * (0.75 + Math.random() * 0.5));
          const asked = error instanceof StepRetryError ? (error.retryAfterMs ?? 0) : 0;
          return Math.max(jittered, asked);
        },
      },
    },
  );
  return { worker, reconcileNow };
}

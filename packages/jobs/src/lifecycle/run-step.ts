import { HOLDING_BOOKING_STATUSES, isAppError, type SmsCountryPolicies } from '@affection/core';
import {
  type BookingRecord,
  type BookingStepRecord,
  claimBookingStep,
  errorForLog,
  finishBookingStep,
  getBookingStep,
  listBookingSteps,
  loadBookingPlanContext,
  releaseBookingStep,
} from '@affection/db';
import type { Queue } from 'bullmq';
import { createJobBookingEvents } from './job-booking-events.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import { planAndEnqueueBooking } from './plan-booking.ts';
import {
  type BookingStepHandlers,
  type BookingStepKind,
  type BookingStepOutcome,
  type BookingStepServices,
  type ClaimedBookingStep,
  isBookingStepKind,
} from './step-handler.ts';

/** What {@link runBookingStep} needs; the handlers' booking events are built from its queues. */
export interface RunBookingStepOptions extends Omit<BookingStepServices, 'bookingEvents'> {
  handlers: BookingStepHandlers;
  /** The `lifecycle` queue: a step that finds its booking moved on plans the booking's current version. */
  lifecycleQueue: Queue;
  /** The timings plans are made with (for that re-plan). Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  /** Which countries' numbers may get links and reply prompts in the plans steps make. Default the core's. */
  smsPolicies?: SmsCountryPolicies;
  /** How much earlier than its due time a job may run a step (clocks differ). Default 1 000 ms. */
  earlyToleranceMs?: number;
  /**
   * How long a claimed (`running`) step belongs to its runner before another may take it over (its runner is
   * presumed gone). Longer than the longest handler (ringing a phone waits for an answer). Default 180 000 ms.
   * Steps of {@link QUICK_STEP_KINDS} have {@link RunBookingStepOptions.quickLeaseMs} instead.
   */
  leaseMs?: number;
  /**
   * The lease of {@link QUICK_STEP_KINDS}: handlers that take seconds and may run again without harm, so that a
   * worker killed while holding one delays it by this much, not by the ringing lease. Default 30 000 ms.
   */
  quickLeaseMs?: number;
  /** Claims after which a step that keeps failing with retryable errors is given up as `failed`. Default 6. */
  maxAttempts?: number;
}

/** What happened to a step: the worker turns this into BullMQ's next step. */
export type RunBookingStepOutcome =
  /** Finished now: `done` (with the handler's outcome), `failed`, or `cancelled` (the booking moved on). */
  | { kind: 'done' | 'failed' | 'cancelled'; note: string }
  /** Given back (`pending`) after a failure that may pass: retry, at least `retryAfterMs` later when given. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** Not due yet: run at `at`. */
  | { kind: 'not-due'; at: Date }
  /** A step it must follow (see {@link STEP_PREDECESSORS}) has not finished: look again at `at`. */
  | { kind: 'waiting'; for: string; at: Date }
  /** Another runner holds it: look again at `at` (when its lease runs out). */
  | { kind: 'in-flight'; at: Date }
  /** Nothing to do: the step is gone or finished already. */
  | { kind: 'settled'; state: string };

/**
 * Steps that wait for others of the same booking version to finish (done, failed or cancelled) before they run:
 * the outcome is decided from what the room's close recorded, however long closing took.
 */
export const STEP_PREDECESSORS: Readonly<Partial<Record<BookingStepKind, readonly BookingStepKind[]>>> = {
  'decide-outcome': ['close-room'],
};

/**
 * Steps whose handler takes seconds and may run again without harm: the messages are sent once by their own rows and
 * jobs, a voice notification is placed once by its own row (claimed before the provider is asked; the provider's
 * answer comes within its timeout of a few seconds), a room opens and closes idempotently, and the end of a call
 * and its outcome are written only at the step's booking version. A runner that vanished holding one (a worker
 * killed mid-step) is replaced after the quick lease; every other kind (ringing a phone waits for an answer, and a
 * parent rung twice hears it) keeps the long one.
 */
export const QUICK_STEP_KINDS: ReadonlySet<string> = new Set<BookingStepKind>([
  'call-now-sms',
  'confirm-sms',
  'reminder-day-before',
  'reminder-15m',
  'call-now-sms-2',
  'confirm-sms-2',
  'reminder-day-before-2',
  'reminder-15m-2',
  'voice-notify',
  'voice-notify-2',
  'open-room',
  'kiosk-wait-limit',
  'warn-end',
  'close-room',
  'decide-outcome',
]);

/** How long a claimed step of `kind` belongs to its runner: the quick lease or the long one (defaults 30 s, 180 s). */
export function stepLeaseMs(kind: string, leases: Pick<RunBookingStepOptions, 'leaseMs' | 'quickLeaseMs'>): number {
  return QUICK_STEP_KINDS.has(kind) ? (leases.quickLeaseMs ?? 30_000) : (leases.leaseMs ?? 180_000);
}

/** How long a step waiting for its predecessor waits before it looks again. */
const WAIT_MS = 1_000;

/** A step runs only while its booking holds its slot: `proposed`, `confirmed` or `in-progress`. */
const HOLDING: ReadonlySet<string> = new Set(HOLDING_BOOKING_STATUSES);

/** The handler's outcome, or an exception read as one: a retryable `AppError` is a retry, anything else final. */
async function runHandler(
  options: RunBookingStepOptions,
  step: ClaimedBookingStep,
  booking: BookingRecord,
): Promise<BookingStepOutcome> {
  const services: BookingStepServices = {
    db: options.db,
    callRooms: options.callRooms,
    phoneBridge: options.phoneBridge,
    voiceNotifier: options.voiceNotifier ?? null,
    smsQueue: options.smsQueue,
    now: options.now,
    logger: options.logger,
    bookingEvents: createJobBookingEvents({
      db: options.db,
      now: options.now,
      logger: options.logger,
      queues: { lifecycleQueue: options.lifecycleQueue, smsQueue: options.smsQueue },
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
    }),
  };
  try {
    return await options.handlers[step.kind]({ ...services, step, booking });
  } catch (error) {
    // An AppError's message is ours; any other error's text is not (a database driver writes the query's
    // parameters, names and numbers, into it), and the reason is stored on the step and logged.
    if (isAppError(error) && error.retryable) return { kind: 'retry', reason: error.message };
    if (isAppError(error)) return { kind: 'failed', reason: error.message };
    // Not ours (a dropped database connection, a bug): worth another try, within the step's cap.
    return { kind: 'retry', reason: `unexpected: ${summaryOf(error)}` };
  }
}

/** An unexpected error in a few words without its text: `DrizzleQueryError < DatabaseError 23514 sms_messages`. */
function summaryOf(error: unknown): string {
  const summary = errorForLog(error);
  return [summary, ...(summary.causes ?? [])]
    .map((part) =>
      [part.class, part.appCode, part.sqlState, part.systemCode, part.constraint, part.table].filter(Boolean).join(' '),
    )
    .join(' < ');
}

/** The kind of a step this one must follow that is still to run or running (and not abandoned), if any. */
async function unfinishedPredecessor(
  options: RunBookingStepOptions,
  step: BookingStepRecord,
  now: Date,
): Promise<string | undefined> {
  const kinds = isBookingStepKind(step.kind) ? STEP_PREDECESSORS[step.kind] : undefined;
  if (!kinds || step.state !== 'pending') return undefined;
  const blocking = (await listBookingSteps(options.db, step.bookingId)).find(
    (other) =>
      other.bookingVersion === step.bookingVersion &&
      (kinds as readonly string[]).includes(other.kind) &&
      (other.state === 'pending' ||
        (other.state === 'running' && other.updatedAt.getTime() > now.getTime() - stepLeaseMs(other.kind, options))),
  );
  return blocking?.kind;
}

/**
 * Runs one booking step, at most once to completion:
 * 1. waits while a step it must follow ({@link STEP_PREDECESSORS}) has not finished; then claims the row (`pending`
 *    → `running`, or takes over a `running` one whose lease ran out); a second job for the same step gets nothing;
 * 2. if the booking is gone, no longer at the step's version, or no longer active, cancels the step (and plans the
 *    booking's current version, in case nobody did) and stops;
 * 3. runs the kind's handler and records its outcome: `done` with the outcome word, `failed` with the reason, or
 *    back to `pending` for a retry (until `maxAttempts` claims, then `failed`).
 * Never throws for an expected outcome.
 */
export async function runBookingStep(options: RunBookingStepOptions, stepId: string): Promise<RunBookingStepOutcome> {
  const now = options.now();
  const row = await getBookingStep(options.db, stepId);
  if (!row) return { kind: 'settled', state: 'missing' };
  const leaseMs = stepLeaseMs(row.kind, options);
  const staleBefore = new Date(now.getTime() - leaseMs);
  const predecessor = await unfinishedPredecessor(options, row, now);
  if (predecessor) return { kind: 'waiting', for: predecessor, at: new Date(now.getTime() + WAIT_MS) };
  const claimed = await claimBookingStep(options.db, stepId, {
    now,
    earlyMs: options.earlyToleranceMs ?? 1_000,
    staleBefore,
  });
  if (!claimed) {
    const current = await getBookingStep(options.db, stepId);
    if (!current) return { kind: 'settled', state: 'missing' };
    if (current.state === 'pending') return { kind: 'not-due', at: current.dueAt };
    if (current.state === 'running') return { kind: 'in-flight', at: new Date(current.updatedAt.getTime() + leaseMs) };
    return { kind: 'settled', state: current.state };
  }
  const finish = async (state: 'done' | 'failed' | 'cancelled', note: string) => {
    await finishBookingStep(options.db, claimed.id, { state, note, attempts: claimed.attempts, now: options.now() });
    return { kind: state, note } as const;
  };
  if (!isBookingStepKind(claimed.kind)) return finish('failed', `unknown step kind ${claimed.kind}`);
  const step: ClaimedBookingStep = { ...claimed, kind: claimed.kind };

  const context = await loadBookingPlanContext(options.db, step.bookingId);
  const booking = context?.booking;
  if (!booking || booking.version !== step.bookingVersion || !HOLDING.has(booking.status)) {
    const why = !booking
      ? 'booking gone'
      : booking.version !== step.bookingVersion
        ? `booking moved on to v${booking.version}`
        : `booking ${booking.status}`;
    const outcome = await finish('cancelled', why);
    if (booking && booking.version !== step.bookingVersion) {
      // Whoever changed the booking may not have planned it (a webhook, a crash): plan it now; idempotent.
      await planAndEnqueueBooking(
        {
          db: options.db,
          lifecycleQueue: options.lifecycleQueue,
          smsQueue: options.smsQueue,
          now: options.now,
          ...(options.timings ? { timings: options.timings } : {}),
        },
        booking.id,
      ).catch((error: unknown) =>
        options.logger.warn({ bookingId: booking.id, err: errorForLog(error) }, 're-plan after a stale step failed'),
      );
    }
    return outcome;
  }

  const outcome = await runHandler(options, step, booking);
  switch (outcome.kind) {
    case 'done':
      return finish('done', outcome.note ? `${outcome.outcome}: ${outcome.note}` : outcome.outcome);
    case 'failed':
      return finish('failed', outcome.reason);
    case 'retry': {
      if (step.attempts >= (options.maxAttempts ?? 6)) {
        return finish('failed', `gave up after ${step.attempts} attempts: ${outcome.reason}`);
      }
      await releaseBookingStep(options.db, step.id, {
        note: `retry: ${outcome.reason}`,
        attempts: step.attempts,
        now: options.now(),
      });
      return outcome;
    }
  }
}

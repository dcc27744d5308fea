import {
  type BookingStatus,
  type Contact,
  canReachContact,
  renderSms,
  type SmsCountryPolicies,
  type SmsLanguage,
} from '@affection/core';
import {
  type BookingSmsRecord,
  cancelPendingBookingSteps,
  cancelPendingSmsOfBooking,
  type Db,
  insertBookingSteps,
  insertOutgoingSmsBatch,
  listBookingSteps,
  listSmsOfBooking,
  loadBookingPlanContext,
  type NewOutgoingSms,
} from '@affection/db';
import type { JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import { enqueueSmsBatch, type SmsToEnqueue } from '../send-sms.ts';
import { smsTemplateFieldsOf } from '../sms-template-fields.ts';
import type { ContactSlot } from './contact-slot.ts';
import {
  ANNOUNCING_SMS_NAMES,
  announcingSmsNamesOf,
  decideBookingPlan,
  LIFECYCLE_SMS_NAMES,
  lifecycleKey,
  type PlanContact,
} from './decide-booking-plan.ts';
import { type LifecycleTimings, lifecycleTimings } from './lifecycle-timings.ts';
import { type BookingStepKind, isBookingStepKind } from './step-handler.ts';

/** Name of the job that runs one booking step. */
export const RUN_STEP_JOB = 'run-step';

/** The payload of a {@link RUN_STEP_JOB} job, version 1: only the step's id; the row holds the rest. */
export const RunStepJobSchema = z.object({ v: z.literal(1), stepId: z.string().min(1) });

/** A {@link RUN_STEP_JOB} payload. */
export type RunStepJob = z.infer<typeof RunStepJobSchema>;

/** How many times BullMQ runs a step job; after that the reconciler enqueues it again (up to the step's own cap). */
export const STEP_JOB_ATTEMPTS = 5;

/** The custom backoff type of step jobs (exponential, at least what the handler asked for). */
export const STEP_BACKOFF_TYPE = 'lifecycle';

/** A pending step to enqueue: its row id, job id and due time. */
export interface StepToEnqueue {
  id: string;
  /** `<bookingId>-<kind>-v<version>`. */
  jobId: string;
  dueAt: Date;
}

/**
 * The BullMQ options of a step job: the deterministic job id (BullMQ keeps the first job for a repeated id, so
 * enqueueing twice is harmless), a delay until the due time, retries with backoff, and no finished job kept (the
 * row keeps the outcome; a job left behind would stop the reconciler from enqueueing the same id again).
 */
export function stepJobOptions(step: StepToEnqueue, now: Date): JobsOptions {
  return {
    jobId: step.jobId,
    timestamp: now.getTime(),
    delay: Math.max(0, step.dueAt.getTime() - now.getTime()),
    attempts: STEP_JOB_ATTEMPTS,
    backoff: { type: STEP_BACKOFF_TYPE, delay: 2_000 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

/** Enqueues step jobs (rows first), in pipelined batches of 500. */
export async function enqueueSteps(
  queue: Queue,
  steps: readonly StepToEnqueue[],
  options: { now: Date },
): Promise<void> {
  for (let start = 0; start < steps.length; start += 500) {
    await queue.addBulk(
      steps.slice(start, start + 500).map((step) => ({
        name: RUN_STEP_JOB,
        data: { v: 1, stepId: step.id } satisfies RunStepJob,
        opts: stepJobOptions(step, options.now),
      })),
    );
  }
}

/** What {@link planBooking} needs. */
export interface PlanBookingOptions {
  db: Db;
  now: Date;
  /** Default {@link DEFAULT_LIFECYCLE_TIMINGS}. */
  timings?: Partial<LifecycleTimings>;
  /** Which countries' numbers may get links and reply prompts. Default the core's defaults. */
  smsPolicies?: SmsCountryPolicies;
  /** Whether contacts who have not joined get a voice notification call (`voice-notify`). Default true. */
  voiceNotify?: boolean;
}

/** What a plan left to do, and what it took back. */
export interface BookingPlan {
  bookingId: string;
  /** Null for an unknown booking. */
  version: number | null;
  status: BookingStatus | null;
  /** Whether this call wrote the current version's plan (false: it was there already, or there is nothing to plan). */
  isNew: boolean;
  /** The current version's pending steps (new or not): enqueue them. */
  steps: StepToEnqueue[];
  /** The current version's pending messages (new or not): enqueue them. */
  sms: SmsToEnqueue[];
  /** Job ids of steps of older versions cancelled now: remove their jobs. */
  cancelledStepJobIds: string[];
  /** Message ids of older versions cancelled now: remove their jobs. */
  cancelledSmsIds: string[];
}

function planContactOf(contact: Contact | null): PlanContact | null {
  if (!contact) return null;
  return {
    channel: contact.channel,
    phoneFallback: contact.phoneFallback,
    canGetSms: canReachContact(contact, 'sms'),
    canBeRung: canReachContact(contact, 'call'),
  };
}

const TOLD_STATUSES: ReadonlySet<string> = new Set(['sending', 'sent', 'delivered']);

/** Whether a message announcing this call to one contact, of a version before `version`, reached the provider. */
function hasToldParent(
  messages: readonly BookingSmsRecord[],
  bookingId: string,
  version: number,
  slot: ContactSlot,
): boolean {
  const announcing = new Set<string>();
  for (let v = 1; v < version; v += 1) {
    for (const name of announcingSmsNamesOf(slot)) announcing.add(lifecycleKey(bookingId, name, v));
  }
  return messages.some((m) => m.dedupeKey !== null && announcing.has(m.dedupeKey) && TOLD_STATUSES.has(m.status));
}

/** The pending steps and lifecycle messages of a booking's version, as stored. */
async function readPendingOfVersion(
  db: Db,
  bookingId: string,
  version: number,
): Promise<{ steps: StepToEnqueue[]; sms: SmsToEnqueue[] }> {
  const currentKeys = new Set(LIFECYCLE_SMS_NAMES.map((name) => lifecycleKey(bookingId, name, version)));
  const steps = (await listBookingSteps(db, bookingId)).filter(
    (step) => step.bookingVersion === version && step.state === 'pending' && isBookingStepKind(step.kind),
  );
  const sms = (await listSmsOfBooking(db, bookingId)).filter(
    (m) => m.status === 'pending' && m.dedupeKey !== null && currentKeys.has(m.dedupeKey),
  );
  return {
    steps: steps.map((step) => ({
      id: step.id,
      jobId: lifecycleKey(bookingId, step.kind as BookingStepKind, version),
      dueAt: step.dueAt,
    })),
    sms: sms.map((m) => ({ id: m.id, dueAt: m.dueAt })),
  };
}

/**
 * Writes the lifecycle of a booking's current version, in one transaction with the booking's row locked, and
 * idempotently (a second call finds the plan and writes nothing):
 * 1. cancels the `pending` steps of older versions and their `pending` messages (confirmation, reminders, moved);
 * 2. unless the current version has steps already, decides them ({@link decideBookingPlan}) and stores the steps
 *    and the messages they need, rendered for each contact (a three-way call's second contact too: language, zone,
 *    the Home's name), with dedupe keys `<bookingId>-<kind>-v<version>`; a contact who cannot get SMS gets none.
 *    A "call now" call's video contacts are rung after the Home's `parent_join_wait_minutes`.
 * Enqueue the result with {@link enqueueBookingPlan} once this has returned (rows first, jobs after).
 */
export async function planBooking(options: PlanBookingOptions, bookingId: string): Promise<BookingPlan> {
  const timings = lifecycleTimings(options.timings);
  const { now } = options;
  return options.db.transaction(async (tx) => {
    const context = await loadBookingPlanContext(tx, bookingId, { lock: true });
    if (!context) {
      return {
        bookingId,
        version: null,
        status: null,
        isNew: false,
        steps: [],
        sms: [],
        cancelledStepJobIds: [],
        cancelledSmsIds: [],
      };
    }
    const { booking, contact, secondContact, home } = context;
    const { version } = booking;
    // A first version has no older steps or messages to cancel, no earlier plan to build on and no message of an
    // earlier version that told a parent: none of those reads and writes is made for a new booking.
    const isFirstVersion = version === 1;
    const cancelledSteps = isFirstVersion
      ? []
      : await cancelPendingBookingSteps(tx, bookingId, {
          beforeVersion: version,
          reason: `superseded by v${version}`,
          now,
        });
    const olderKeys: string[] = [];
    for (let v = 1; v < version; v += 1) {
      for (const name of ANNOUNCING_SMS_NAMES) olderKeys.push(lifecycleKey(bookingId, name, v));
    }
    const cancelledSmsIds = await cancelPendingSmsOfBooking(tx, bookingId, { dedupeKeys: olderKeys, now });
    let isNew = false;
    // What this call stored, when it stored the whole plan of the version: then it is what is pending.
    let written: { steps: StepToEnqueue[]; sms: SmsToEnqueue[] } | null = null;
    if (!context.hasCurrentSteps) {
      const earlierSteps = isFirstVersion ? [] : await listBookingSteps(tx, bookingId);
      const messages = isFirstVersion ? [] : await listSmsOfBooking(tx, bookingId);
      const decided = decideBookingPlan({
        booking,
        contact: planContactOf(contact),
        secondContact: planContactOf(secondContact),
        childNames: context.childNames,
        earlierSteps: earlierSteps.filter((step) => step.bookingVersion < version),
        hasToldParent: hasToldParent(messages, bookingId, version, 'first'),
        hasToldSecond: hasToldParent(messages, bookingId, version, 'second'),
        parentJoinWaitMs: home.parentJoinWaitMinutes * 60_000,
        kioskWaitMs: home.kioskWaitMinutes * 60_000,
        voiceNotify: options.voiceNotify ?? true,
        now,
        timings,
      });
      const inserted = await insertBookingSteps(
        tx,
        decided.steps.map((step) => ({
          bookingId,
          kind: step.kind,
          bookingVersion: version,
          dueAt: step.dueAt,
          state: step.state,
          lastError: step.note ?? null,
        })),
        now,
      );
      const toStore: NewOutgoingSms[] = [];
      for (const planned of decided.sms) {
        const recipient = planned.to === 'first' ? contact : secondContact;
        if (!recipient) continue;
        const language: SmsLanguage = recipient.language;
        const rendered = renderSms(planned.message, {
          recipient: { phone: recipient.phone, language, timeZone: recipient.timeZone },
          home: { name: home.name, timeZone: home.timeZone },
          ...(options.smsPolicies ? { policies: options.smsPolicies } : {}),
        });
        toStore.push({
          homeId: booking.homeId,
          toPhone: recipient.phone,
          body: rendered.body,
          dedupeKey: lifecycleKey(bookingId, planned.name, version),
          template: planned.message.kind,
          ...smsTemplateFieldsOf(planned.message, {
            phone: recipient.phone,
            timeZone: recipient.timeZone,
            homeTimeZone: home.timeZone,
            policies: options.smsPolicies,
          }),
          language,
          dueAt: planned.dueAt,
          // Each of these messages speaks of the call: once it is over they are worthless, and not sent
          // (while it runs they still are: a parent who reads one can still join).
          sendBefore: booking.end,
          bookingId,
          contactId: recipient.id,
          now,
        });
      }
      // One statement for all of them; a message whose key is taken already is left as it is.
      const storedSms = await insertOutgoingSmsBatch(tx, toStore);
      isNew = inserted.length + storedSms.length > 0;
      // With the booking's row locked, a first version with no steps had no plan at all (every plan of a booking
      // that is planned stores steps), and only plans write its lifecycle messages: when every row above is new,
      // they are all of its plan, and reading them back would only find them again.
      if (isFirstVersion && inserted.length === decided.steps.length && storedSms.length === toStore.length) {
        written = {
          steps: inserted
            .filter((step) => step.state === 'pending' && isBookingStepKind(step.kind))
            .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.kind < b.kind ? -1 : 1))
            .map((step) => ({
              id: step.id,
              jobId: lifecycleKey(bookingId, step.kind as BookingStepKind, version),
              dueAt: step.dueAt,
            })),
          sms: storedSms
            .filter((m) => m.status === 'pending')
            .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : 1))
            .map((m) => ({ id: m.id, dueAt: m.dueAt })),
        };
      }
    }
    const pending = written ?? (await readPendingOfVersion(tx, bookingId, version));
    return {
      bookingId,
      version,
      status: booking.status,
      isNew,
      steps: pending.steps,
      sms: pending.sms,
      cancelledStepJobIds: cancelledSteps
        .filter((step) => isBookingStepKind(step.kind))
        .map((step) => lifecycleKey(bookingId, step.kind as BookingStepKind, step.bookingVersion)),
      cancelledSmsIds,
    };
  });
}

/** The queues a plan is enqueued on. */
export interface LifecycleQueues {
  /** The `lifecycle` queue. */
  lifecycleQueue: Queue;
  /** The `sms` queue. */
  smsQueue: Queue;
}

/**
 * Enqueues what {@link planBooking} returned: removes the jobs of what it cancelled (best effort: a job that is
 * running stays and finds its row cancelled), then enqueues the pending steps (job id `<bookingId>-<kind>-v<version>`,
 * delayed to the due time) and messages (`enqueueSms`). Enqueueing twice is harmless.
 */
export async function enqueueBookingPlan(queues: LifecycleQueues, plan: BookingPlan, now: Date): Promise<void> {
  await Promise.all([
    ...plan.cancelledStepJobIds.map((jobId) => queues.lifecycleQueue.remove(jobId).catch(() => 0)),
    ...plan.cancelledSmsIds.map((id) => queues.smsQueue.remove(id).catch(() => 0)),
  ]);
  await enqueueSteps(queues.lifecycleQueue, plan.steps, { now });
  await enqueueSmsBatch(queues.smsQueue, plan.sms, { now });
}

/** What {@link planAndEnqueueBooking} needs. */
export interface PlanAndEnqueueOptions extends LifecycleQueues {
  db: Db;
  now: () => Date;
  timings?: Partial<LifecycleTimings>;
  smsPolicies?: SmsCountryPolicies;
}

/**
 * Plans a booking's current version ({@link planBooking}) and enqueues it ({@link enqueueBookingPlan}). Call it
 * after every change of a booking (create, reschedule, cancel, status); the lifecycle reconciler also calls it for
 * any booking whose plan is missing or stale, so a change whose call failed is planned within a minute.
 *
 * @example await planAndEnqueueBooking({ db, lifecycleQueue, smsQueue, now: () => new Date() }, booking.id);
 */
export async function planAndEnqueueBooking(options: PlanAndEnqueueOptions, bookingId: string): Promise<BookingPlan> {
  const plan = await planBooking(
    {
      db: options.db,
      now: options.now(),
      ...(options.timings ? { timings: options.timings } : {}),
      ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
    },
    bookingId,
  );
  await enqueueBookingPlan(options, plan, options.now());
  return plan;
}

import type { SmsSender } from '@affection/core';
import type { Db } from '@affection/db';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobLogger } from './job-logger.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import { SendSmsJobSchema, SMS_BACKOFF_TYPE } from './send-sms.ts';
import { createSmsDispatchBatch } from './send-sms-batch.ts';
import { type SendSmsMessageOptions, type SendSmsOutcome, sendSmsMessage } from './send-sms-message.ts';
import type { SmsSendCapsFor } from './sms-caps-claim.ts';

/** Tuning of the `sms` queue's worker. */
export interface SmsWorkerOptions {
  /** Messages sent per second by all workers together (BullMQ limiter). Default 10. */
  perSecond?: number;
  /**
   * No limit of our own (benchmarks, or a provider that paces for us). A 429 still pauses the
   * queue for the time the provider asks. Default false.
   */
  limiterOff?: boolean;
  /** Jobs run in parallel by this process. Default 20. */
  concurrency?: number;
  /** How long the queue pauses after a 429 that does not say (`Retry-After`). Default 1 000 ms. */
  rateLimitPauseMs?: number;
  /** First retry delay; doubled at each attempt, with jitter, and never shorter than a `Retry-After`. Default 1 000 ms. */
  backoffMs?: number;
  /**
   * Longest retry delay (a `Retry-After` always wins); also how long after its last attempt the
   * reconciler waits before giving a message whose retries ran out a new job. Default 60 000 ms.
   */
  backoffMaxMs?: number;
  /** See `SendSmsMessageOptions.sendLeaseMs`. Default 60 000 ms. */
  sendLeaseMs?: number;
  /** See `SendSmsMessageOptions.ambiguousSettleMs`. Default 15 000 ms. */
  ambiguousSettleMs?: number;
  /** See `SendSmsMessageOptions.earlyToleranceMs`. Default 1 000 ms. */
  earlyToleranceMs?: number;
  /** Where the provider reports delivery, e.g. `https://…/webhooks/twilio/sms-status`. Default none. */
  statusCallbackUrl?: string;
  /** See `SendSmsMessageOptions.sendCapsFor`: the provider's per-number limits. Default none. */
  sendCapsFor?: SmsSendCapsFor;
  /** BullMQ job lock: a job whose worker stops renewing it for this long is taken over. Default 30 000 ms. */
  lockDurationMs?: number;
  /** How often BullMQ looks for stalled jobs. Default 30 000 ms. */
  stalledIntervalMs?: number;
  /**
   * Claim and record sent messages in shared statements (`createSmsDispatchBatch`), up to this many
   * messages each; 1 for one statement a message. Default 500.
   */
  statementBatch?: number;
  /** Period of the reconciler. Default 60 000 ms. */
  reconcileEveryMs?: number;
  /** Pending messages due within this long get their job from the reconciler. Default 120 000 ms. */
  reconcileHorizonMs?: number;
}

/** What {@link createSmsWorker} needs. */
export interface CreateSmsWorkerOptions {
  connection: Redis;
  db: Db;
  sender: SmsSender;
  /** The provider recorded on each sent message, or the provider of each number (a routing sender). */
  provider: SendSmsMessageOptions['provider'];
  logger: JobLogger;
  now: () => Date;
  options?: SmsWorkerOptions;
}

/** A retry with the delay the failure asks for (a `Retry-After`, or the ambiguity settle time). */
class SmsRetryError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super(message);
    this.name = 'SmsRetryError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** A limiter high enough never to hold the queue, so that a 429's pause still applies. */
const NO_LIMIT = { max: 1_000_000, duration: 1_000 };

/**
 * The BullMQ worker of the `sms` queue: a thin shell that parses the payload, calls
 * {@link sendSmsMessage} and turns its outcome into BullMQ's next step — done; failed for good
 * (`UnrecoverableError`); delayed until due or until another sender's claim runs out; the whole
 * queue paused on a 429 (`rateLimit` + `RateLimitError`); or retried with exponential backoff.
 */
export function createSmsWorker(deps: CreateSmsWorkerOptions): Worker {
  const options = deps.options ?? {};
  const backoffMs = options.backoffMs ?? 1_000;
  const backoffMaxMs = options.backoffMaxMs ?? 60_000;
  const earlyToleranceMs = options.earlyToleranceMs ?? 1_000;
  const statementBatch = options.statementBatch ?? 500;
  const send = {
    db: deps.db,
    sender: deps.sender,
    provider: deps.provider,
    now: deps.now,
    ...(options.statusCallbackUrl ? { statusCallbackUrl: options.statusCallbackUrl } : {}),
    ...(options.sendLeaseMs !== undefined ? { sendLeaseMs: options.sendLeaseMs } : {}),
    ...(options.ambiguousSettleMs !== undefined ? { ambiguousSettleMs: options.ambiguousSettleMs } : {}),
    ...(options.earlyToleranceMs !== undefined ? { earlyToleranceMs: options.earlyToleranceMs } : {}),
    ...(options.sendCapsFor ? { sendCapsFor: options.sendCapsFor } : {}),
    ...(statementBatch > 1
      ? {
          batch: createSmsDispatchBatch({ db: deps.db, now: deps.now, earlyToleranceMs, maxBatch: statementBatch }),
        }
      : {}),
  };

  const worker: Worker = new Worker(
    QUEUE_NAMES.sms,
    async (job: Job, token?: string) => {
      const payload = SendSmsJobSchema.safeParse(job.data);
      if (!payload.success) throw new UnrecoverableError(`send-sms job ${job.id}: not a version 1 payload`);
      const outcome = await sendSmsMessage(send, payload.data.messageId);
      return actOn(outcome, job, token);
    },
    {
      connection: deps.connection,
      concurrency: options.concurrency ?? 20,
      limiter: options.limiterOff ? NO_LIMIT : { max: options.perSecond ?? 10, duration: 1_000 },
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, error?: Error) => {
          if (type !== SMS_BACKOFF_TYPE) return backoffMs;
          const exponential = Math.min(backoffMaxMs, backoffMs * 2 ** Math.max(0, attemptsMade - 1));
          const jittered = Math.round(exponential * (0.75 + Math.random() * 0.5));
          const asked = error instanceof SmsRetryError ? (error.retryAfterMs ?? 0) : 0;
          return Math.max(jittered, asked);
        },
      },
    },
  );

  async function actOn(outcome: SendSmsOutcome, job: Job, token: string | undefined): Promise<SendSmsOutcome> {
    switch (outcome.kind) {
      case 'sent':
      case 'settled':
        return outcome;
      case 'failed':
        deps.logger.warn({ messageId: job.id, reason: outcome.reason }, 'sms refused for good');
        throw new UnrecoverableError(`${outcome.reason}: ${outcome.message}`);
      case 'not-due':
      case 'in-flight':
        await job.moveToDelayed(outcome.at.getTime(), token);
        throw new DelayedError();
      case 'retry':
        if (outcome.isRateLimited) {
          await worker.rateLimit(outcome.retryAfterMs ?? options.rateLimitPauseMs ?? 1_000);
          throw Worker.RateLimitError();
        }
        throw new SmsRetryError(outcome.message, outcome.retryAfterMs);
      case 'ambiguous':
        throw new SmsRetryError(outcome.message, outcome.checkAfterMs);
    }
  }

  return worker;
}

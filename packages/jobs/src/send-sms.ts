import { cancelPendingSms, type Db } from '@affection/db';
import type { JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';

/** Name of the job that sends one stored outgoing message. */
export const SEND_SMS_JOB = 'send-sms';

/**
 * The payload of a {@link SEND_SMS_JOB} job, version 1: only the message's id. Everything else
 * (number, text, due time, state) is read from `sms_messages`, the system of record.
 */
export const SendSmsJobSchema = z.object({ v: z.literal(1), messageId: z.string().min(1) });

/** A {@link SEND_SMS_JOB} payload. */
export type SendSmsJob = z.infer<typeof SendSmsJobSchema>;

/** The custom backoff type of send jobs (exponential, at least what the provider asked for). */
export const SMS_BACKOFF_TYPE = 'sms';

/** How many times BullMQ runs a send job before giving it up to the reconciler. */
export const SMS_JOB_ATTEMPTS = 8;

/** An outgoing message to enqueue: its row id and due time. */
export interface SmsToEnqueue {
  id: string;
  dueAt: Date;
}

/**
 * The BullMQ options of a send job: the message id as job id (BullMQ keeps the first job for a
 * repeated id, so enqueueing twice is harmless), a delay until the due time counted from `now`
 * (given as the job's timestamp, so a slow batch does not make later jobs late), retries with the
 * {@link SMS_BACKOFF_TYPE} backoff, and no finished job kept: the database keeps the outcome, and a
 * job left behind would stop the reconciler from enqueueing the same id again.
 */
export function smsJobOptions(message: SmsToEnqueue, now: Date): JobsOptions {
  return {
    jobId: message.id,
    timestamp: now.getTime(),
    delay: Math.max(0, message.dueAt.getTime() - now.getTime()),
    attempts: SMS_JOB_ATTEMPTS,
    backoff: { type: SMS_BACKOFF_TYPE, delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: true,
  };
}

function payloadOf(message: SmsToEnqueue): SendSmsJob {
  return { v: 1, messageId: message.id };
}

/**
 * Enqueues the send job of a message already stored as `pending` (the row comes first), firing at
 * its due time.
 *
 * @example
 * const { message } = await insertOutgoingSms(db, { …, dedupeKey: `${bookingId}-reminder-15m-v${version}`, dueAt, now });
 * await enqueueSms(smsQueue, message, { now });
 */
export async function enqueueSms(queue: Queue, message: SmsToEnqueue, options: { now: Date }): Promise<void> {
  await queue.add(SEND_SMS_JOB, payloadOf(message), smsJobOptions(message, options.now));
}

/** {@link enqueueSms} for many messages, in pipelined batches of 500. */
export async function enqueueSmsBatch(
  queue: Queue,
  messages: readonly SmsToEnqueue[],
  options: { now: Date },
): Promise<void> {
  for (let start = 0; start < messages.length; start += 500) {
    await queue.addBulk(
      messages.slice(start, start + 500).map((message) => ({
        name: SEND_SMS_JOB,
        data: payloadOf(message),
        opts: smsJobOptions(message, options.now),
      })),
    );
  }
}

/** The answer to {@link cancelSms}. */
export type CancelSmsResult = { ok: true } | { ok: false; reason: 'not-pending' };

/**
 * Cancels a message that has not been sent: the row becomes `cancelled` (which alone stops any job
 * that still fires), then its job is removed if it is waiting. A message already being sent or sent
 * cannot be cancelled (`not-pending`). To reschedule, cancel and store a new message with the next
 * version in its dedupe key.
 */
export async function cancelSms(db: Db, queue: Queue, messageId: string, now: Date): Promise<CancelSmsResult> {
  const cancelled = await cancelPendingSms(db, messageId, now);
  if (!cancelled) return { ok: false, reason: 'not-pending' };
  // Best effort: a job that is running or locked stays, and finds the row cancelled.
  await queue.remove(messageId).catch(() => 0);
  return { ok: true };
}

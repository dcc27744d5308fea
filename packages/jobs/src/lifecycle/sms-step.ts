import { findSmsByDedupeKey } from '@affection/db';
import { enqueueSms } from '../send-sms.ts';
import { lifecycleKey } from './decide-booking-plan.ts';
import type { BookingStepHandler } from './step-handler.ts';

/**
 * `confirm-sms`, `reminder-day-before`, `reminder-15m`: the message was stored with the plan (key
 * `<bookingId>-<kind>-v<version>`) and has its own job on the `sms` queue, which sends it exactly once. The step
 * makes sure that job exists (enqueueing twice is harmless) and records where the message stands: `queued`,
 * `no-sms` (the contact could not get one when the call was planned), or the message's status.
 */
export const smsStep: BookingStepHandler = async ({ db, smsQueue, step, now }) => {
  const message = await findSmsByDedupeKey(db, lifecycleKey(step.bookingId, step.kind, step.bookingVersion));
  if (!message) return { kind: 'done', outcome: 'no-sms' };
  if (message.status !== 'pending') return { kind: 'done', outcome: message.status };
  await enqueueSms(smsQueue, message, { now: now() });
  return { kind: 'done', outcome: 'queued' };
};

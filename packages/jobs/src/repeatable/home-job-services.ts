import type { BookingEvents } from '@affection/bookings';
import type { SmsCountryPolicies } from '@affection/core';
import type { Db, SmsMessageRecord } from '@affection/db';
import type { Queue } from 'bullmq';
import { enqueueSmsBatch } from '../send-sms.ts';

/** What the Homes' repeatable jobs use. */
export interface HomeJobServices {
  db: Db;
  /** The `sms` queue: messages are stored first, then enqueued here. */
  smsQueue: Queue;
  now: () => Date;
  /** Which countries' numbers may get links and reply prompts. Default the core's defaults. */
  smsPolicies?: SmsCountryPolicies;
  /** Audits the bookings the jobs write and plans their lifecycles at once (`createJobBookingEvents`). */
  bookingEvents: BookingEvents;
}

/** The language staff get SMS in: the Home's teachers read Chinese first. */
export const STAFF_SMS_LANGUAGE = 'zh-CN';

/** Enqueues the stored messages that are still pending (a message stored by an earlier run may be on its way). */
export async function enqueuePending(services: HomeJobServices, messages: readonly SmsMessageRecord[]): Promise<void> {
  const pending = messages.filter((m) => m.status === 'pending');
  if (pending.length > 0) await enqueueSmsBatch(services.smsQueue, pending, { now: services.now() });
}

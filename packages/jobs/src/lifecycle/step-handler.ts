import type { BookingEvents } from '@affection/bookings';
import type { CallRooms, PhoneBridge, VoiceNotifier } from '@affection/core';
import type { BookingRecord, Db } from '@affection/db';
import type { Queue } from 'bullmq';
import type { JobLogger } from '../job-logger.ts';
import { secondContactNames } from './contact-slot.ts';

/**
 * The steps each contact of a call gets. A three-way call's second contact gets the same steps, run by the same
 * handlers, under the kind ending in `-2` (`confirm-sms-2`, `ring-phone-2`: {@link secondContactNames}).
 */
export const CONTACT_STEP_KINDS = [
  /** A "call now" (ad-hoc) call's message at once, instead of `confirm-sms`: the child is waiting. */
  'call-now-sms',
  'confirm-sms',
  'reminder-day-before',
  'reminder-15m',
  'ring-phone',
  'fallback-ring',
  /**
   * A text-to-speech notification call ("孩子在学校等您…") to a contact who has not joined by the parents' wait,
   * when they could not be rung into the room; once per call (a `voice_notifications` row).
   */
  'voice-notify',
] as const;

/** One of {@link CONTACT_STEP_KINDS}: a step of the first contact. */
export type ContactStepKind = (typeof CONTACT_STEP_KINDS)[number];

/**
 * Every step of a booking's lifecycle. A step is a `booking_steps` row per booking version (the truth) and a job
 * on the `lifecycle` queue (the trigger). A kind's name never changes once it has shipped: job ids and SMS dedupe
 * keys carry it.
 */
export const BOOKING_STEP_KINDS = [
  ...CONTACT_STEP_KINDS,
  ...secondContactNames(CONTACT_STEP_KINDS),
  'open-room',
  /** The kiosk's waiting limit: ends a call whose parent has not come while the child waits alone. */
  'kiosk-wait-limit',
  /** Asked for by the voice menu when it may not put a caller through (no PIN, or wrong ones): rings the number on file. */
  'ring-back',
  'warn-end',
  'close-room',
  'decide-outcome',
] as const;

/** One of {@link BOOKING_STEP_KINDS}. */
export type BookingStepKind = (typeof BOOKING_STEP_KINDS)[number];

/** True for one of {@link BOOKING_STEP_KINDS}. */
export function isBookingStepKind(value: string): value is BookingStepKind {
  return (BOOKING_STEP_KINDS as readonly string[]).includes(value);
}

/** A step row this job has claimed (`pending` → `running`); nobody else runs it until it is finished or released. */
export interface ClaimedBookingStep {
  /** `stp_…` */
  id: string;
  bookingId: string;
  kind: BookingStepKind;
  /** The booking version the step was planned for; the booking is still at it when the handler runs. */
  bookingVersion: number;
  dueAt: Date;
  /** Claims so far, this one included (1 on the first run). */
  attempts: number;
}

/** What every step handler may use; created once per worker process. */
export interface BookingStepServices {
  db: Db;
  /** Video rooms; `null` when LiveKit is not configured. */
  callRooms: CallRooms | null;
  /** Rings ordinary phones into a room; `null` when SIP is not configured (ringing is then `unavailable`). */
  phoneBridge: PhoneBridge | null;
  /** Places voice notification calls (the outbox or Alibaba Cloud); `null` or absent: they are `unavailable`. */
  voiceNotifier?: VoiceNotifier | null;
  /** The `sms` queue: store a message row first (`insertOutgoingSms`), then `enqueueSms` on this queue. */
  smsQueue: Queue;
  now: () => Date;
  logger: JobLogger;
  /** Audits what a step changes in a booking and plans its lifecycle at once (`createJobBookingEvents`). */
  bookingEvents: BookingEvents;
}

/**
 * What a handler receives. By the time it runs, the processor has claimed the step and checked that the booking is
 * still at `step.bookingVersion` and active (`proposed`, `confirmed` or `in-progress`); otherwise the step was
 * cancelled and no handler ran.
 *
 * A handler that changes the booking's status bumps its version, and every later step of the old version is then
 * cancelled when it fires: only the last step (`decide-outcome`) should end a booking.
 */
export interface BookingStepContext extends BookingStepServices {
  step: ClaimedBookingStep;
  /** The booking as read after the claim. */
  booking: BookingRecord;
}

/**
 * How a step ended, as a value (expected outcomes are never exceptions):
 * - `done`: the step did what it could; `outcome` is a short typed word recorded on the step (`opened`,
 *   `answered`, `busy`, `unavailable`, `not-needed`, …), `note` an optional detail without personal data;
 * - `retry`: a failure that may pass (provider unreachable, timeout): the step goes back to `pending` and is
 *   retried with backoff, at least `retryAfterMs` later when given, until its attempts run out;
 * - `failed`: a permanent failure: the step is `failed` with the reason and never retried.
 * An exception from a handler counts as `retry` when it is a retryable `AppError` (e.g. `TelephonyError`
 * `unreachable`), otherwise as `failed`.
 */
export type BookingStepOutcome =
  | { kind: 'done'; outcome: string; note?: string }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'failed'; reason: string };

/**
 * Runs one kind of step. Must be idempotent: a step may run again after a crash between its effect and its
 * bookkeeping (open an already open room, close a closed one).
 *
 * @example
 * export const closeRoomStep: BookingStepHandler = async ({ callRooms, booking }) => {
 *   if (!callRooms) return { kind: 'done', outcome: 'unavailable' };
 *   const closed = await callRooms.closeRoom(booking.id);
 *   return { kind: 'done', outcome: closed.ok ? 'closed' : 'already-closed' };
 * };
 */
export type BookingStepHandler = (context: BookingStepContext) => Promise<BookingStepOutcome>;

/** A handler for every kind. */
export type BookingStepHandlers = Readonly<Record<BookingStepKind, BookingStepHandler>>;

import type { BookingStatus, SmsCallChannel, SmsMessage } from '@affection/core';
import type { BookingSource } from '@affection/db';
import {
  type ContactSlot,
  type SecondContactName,
  secondContactNames,
  slotSuffix,
  withSecondContact,
} from './contact-slot.ts';
import type { LifecycleTimings } from './lifecycle-timings.ts';
import type { BookingStepKind, ContactStepKind } from './step-handler.ts';

/** Statuses whose calls get a lifecycle. A proposal gets none until it is confirmed; the rest are over. */
export const PLANNED_BOOKING_STATUSES = ['confirmed', 'in-progress'] as const satisfies readonly BookingStatus[];

/** The steps that send an SMS to the first contact, and the template each sends. */
const CONTACT_SMS_TEMPLATES = {
  'call-now-sms': 'call-now',
  'confirm-sms': 'booking-confirmed',
  'reminder-day-before': 'reminder-day-before',
  'reminder-15m': 'reminder-15-min',
} as const satisfies Partial<Record<ContactStepKind, SmsMessage['kind']>>;

/** A step that sends an SMS to the first contact. */
type ContactSmsStepKind = keyof typeof CONTACT_SMS_TEMPLATES;

/** The step kinds that send an SMS to a contact, and the template each sends (`-2`: to the second contact). */
export const SMS_STEP_TEMPLATES = withSecondContact(CONTACT_SMS_TEMPLATES);

/** A step kind that sends an SMS. */
export type SmsStepKind = keyof typeof SMS_STEP_TEMPLATES;

/** The messages the lifecycle writes to the first contact, by the name their dedupe key carries. */
type ContactSmsName = ContactSmsStepKind | 'booking-moved' | 'booking-cancelled';

/** The messages the lifecycle writes, by the name their dedupe key carries (`-2`: to the second contact). */
export type LifecycleSmsName = ContactSmsName | SecondContactName<ContactSmsName>;

/** Messages that tell the first contact about a call (as opposed to its cancellation). */
const FIRST_ANNOUNCING = [
  'call-now-sms',
  'confirm-sms',
  'reminder-day-before',
  'reminder-15m',
  'booking-moved',
] as const satisfies readonly ContactSmsName[];

/** The same messages, to the second contact. */
const SECOND_ANNOUNCING = secondContactNames(FIRST_ANNOUNCING);

/** Messages that tell one contact about a call (as opposed to its cancellation). */
export function announcingSmsNamesOf(slot: ContactSlot): readonly LifecycleSmsName[] {
  return slot === 'first' ? FIRST_ANNOUNCING : SECOND_ANNOUNCING;
}

/** Messages that tell a parent (either contact) about a call (as opposed to its cancellation). */
export const ANNOUNCING_SMS_NAMES: readonly LifecycleSmsName[] = [...FIRST_ANNOUNCING, ...SECOND_ANNOUNCING];

/** Every name a lifecycle message's dedupe key carries. */
export const LIFECYCLE_SMS_NAMES: readonly LifecycleSmsName[] = [
  ...ANNOUNCING_SMS_NAMES,
  ...(['booking-cancelled', 'booking-cancelled-2'] as const),
];

/**
 * The job id of a step, and the dedupe key of a lifecycle SMS: `<bookingId>-<kind>-v<version>`.
 *
 * @example lifecycleKey('bkg_1', 'reminder-15m', 2) === 'bkg_1-reminder-15m-v2'
 */
export function lifecycleKey(bookingId: string, kind: BookingStepKind | LifecycleSmsName, version: number): string {
  return `${bookingId}-${kind}-v${version}`;
}

/** The contact as planning sees them. */
export interface PlanContact {
  channel: SmsCallChannel;
  /** May be rung when they have not joined a video call. */
  phoneFallback: boolean;
  /** Approved, not opted out of SMS, number not erased. */
  canGetSms: boolean;
  /** Approved, number not erased. */
  canBeRung: boolean;
}

/** A step of an earlier version, as planning sees it. */
export interface EarlierStep {
  kind: string;
  bookingVersion: number;
  dueAt: Date;
  state: 'pending' | 'running' | 'done' | 'cancelled' | 'failed';
}

/** What {@link decideBookingPlan} decides from. */
export interface PlanInput {
  booking: {
    id: string;
    status: BookingStatus;
    version: number;
    start: Date;
    end: Date;
    /** A "call now" (`adhoc`) call starts at once: its parents get `call-now-sms` and an earlier ring. */
    source?: BookingSource;
  };
  /** Null when the booking's contact is gone. */
  contact: PlanContact | null;
  /** A three-way call's second contact: told and rung like the first. Null or absent when there is none. */
  secondContact?: PlanContact | null;
  /** Whether an earlier message about this call reached the second contact. */
  hasToldSecond?: boolean;
  /**
   * "Call now": how long after the start a video contact who has not joined is rung (`fallback-ring`): the Home's
   * `parent_join_wait_minutes`. Default `timings.fallbackRingMs`.
   */
  parentJoinWaitMs?: number;
  /**
   * The longest a child waits at the kiosk for a parent who has not come (the Home's `kiosk_wait_minutes`):
   * `kiosk-wait-limit` falls due this long after the start. Absent: no such step.
   */
  kioskWaitMs?: number;
  /**
   * Whether contacts who may be called get `voice-notify` (`timings.voiceNotifyAfterWaitMs` after the parents' wait,
   * when `fallback-ring` rings), a voice notification call when they have not joined. Default false.
   */
  voiceNotify?: boolean;
  /** The children's names for messages; no message is written without one. */
  childNames: readonly string[];
  /** Steps of versions before the booking's current one. */
  earlierSteps: readonly EarlierStep[];
  /** Whether an earlier message about this call reached the provider (sending, sent or delivered). */
  hasToldParent: boolean;
  now: Date;
  timings: LifecycleTimings;
}

/** A step to store for the current version. */
export interface PlannedStep {
  kind: BookingStepKind;
  dueAt: Date;
  /** `done` or `failed` for a step an earlier version already ran at the same time, or with nothing to do. */
  state: 'pending' | 'done' | 'failed';
  note?: string;
}

/** A message to store for the current version. */
export interface PlannedSms {
  name: LifecycleSmsName;
  /** To whom: the first contact or the second. */
  to: ContactSlot;
  dueAt: Date;
  message: SmsMessage;
}

/** The current version's steps and messages. */
export interface DecidedPlan {
  steps: PlannedStep[];
  sms: PlannedSms[];
}

/** How a start-anchored step's due time gives back the start it was planned for. */
function startOffsets(timings: LifecycleTimings, fallbackRingMs: number): Partial<Record<string, number>> {
  return {
    'open-room': timings.openRoomMs,
    ...withSecondContact({
      'ring-phone': 0,
      'fallback-ring': -fallbackRingMs,
      'voice-notify': -(fallbackRingMs + timings.voiceNotifyAfterWaitMs),
      'reminder-15m': timings.reminderMs,
      'reminder-day-before': timings.dayBeforeMs,
    }),
  };
}

/**
 * The start the latest earlier version was planned for, read back from its steps; undefined when none says.
 * `fallbackRingMs` is how long after the start the fallback ring was planned (a "call now" uses the Home's wait).
 */
export function previousStartOf(
  earlierSteps: readonly EarlierStep[],
  timings: LifecycleTimings,
  fallbackRingMs: number = timings.fallbackRingMs,
): Date | undefined {
  const offsets = startOffsets(timings, fallbackRingMs);
  const anchored = earlierSteps.filter((step) => offsets[step.kind] !== undefined);
  const latest = Math.max(...anchored.map((step) => step.bookingVersion));
  const step = anchored.find((s) => s.bookingVersion === latest);
  return step ? new Date(step.dueAt.getTime() + (offsets[step.kind] ?? 0)) : undefined;
}

/**
 * Decides the steps and messages of a booking's current version (pure: no I/O, no clock).
 *
 * For a `confirmed` or `in-progress` booking: `confirm-sms` now (when no earlier message reached the parent and
 * the call has not started; a parent who was told and whose call moved gets `booking-moved` instead),
 * `reminder-day-before` and `reminder-15m` when their time is still ahead, `open-room`, `ring-phone` (phone
 * contacts), `fallback-ring` (video contacts who may be rung, when the slot lasts past it) and `warn-end` while the
 * call has not ended, then `close-room` and `decide-outcome`. A step an earlier version already ran at the same
 * time is stored as done (a status change does not ring twice); an SMS step for a contact who cannot get SMS is
 * stored as done with nothing sent.
 *
 * A "call now" (`adhoc`) call gets `call-now-sms` at once instead of `confirm-sms` (while the call has not ended
 * and no earlier message reached the parent), and its `fallback-ring` falls `parentJoinWaitMs` after the start.
 *
 * With `kioskWaitMs`, `kiosk-wait-limit` falls due that long after the start (when it is before `warn-end`).
 *
 * A three-way call's second contact gets the same messages and rings as the first, under kinds ending in `-2`
 * (`confirm-sms-2`, `reminder-15m-2`, `ring-phone-2`, `fallback-ring-2`, …).
 *
 * For a `cancelled` booking whose parent was told and whose call is still ahead: a `booking-cancelled` SMS (and
 * `booking-cancelled-2` to a second contact who was told). Other statuses get nothing.
 */
export function decideBookingPlan(input: PlanInput): DecidedPlan {
  const { booking, timings } = input;
  const now = input.now.getTime();
  const start = booking.start.getTime();
  const end = booking.end.getTime();
  const names = input.childNames;
  const isAdhoc = booking.source === 'adhoc';
  const fallbackRingMs = isAdhoc ? (input.parentJoinWaitMs ?? timings.fallbackRingMs) : timings.fallbackRingMs;
  const steps: PlannedStep[] = [];
  const sms: PlannedSms[] = [];
  const contacts: { slot: ContactSlot; contact: PlanContact | null; told: boolean }[] = [
    { slot: 'first', contact: input.contact, told: input.hasToldParent },
  ];
  if (input.secondContact) {
    contacts.push({ slot: 'second', contact: input.secondContact, told: input.hasToldSecond === true });
  }

  if (booking.status === 'cancelled') {
    for (const { slot, contact, told } of contacts) {
      const canText = contact?.canGetSms === true && names.length > 0;
      if (told && canText && now < start) {
        sms.push({
          name: `booking-cancelled${slotSuffix(slot)}`,
          to: slot,
          dueAt: input.now,
          message: { kind: 'booking-cancelled', childNames: names, start: booking.start },
        });
      }
    }
    return { steps, sms };
  }
  if (!(PLANNED_BOOKING_STATUSES as readonly string[]).includes(booking.status)) return { steps, sms };

  const addStep = (kind: BookingStepKind, dueMs: number) => {
    const earlier = input.earlierSteps
      .filter((step) => step.kind === kind && step.dueAt.getTime() === dueMs)
      .sort((a, b) => b.bookingVersion - a.bookingVersion)[0];
    if (earlier && (earlier.state === 'done' || earlier.state === 'running')) {
      steps.push({ kind, dueAt: new Date(dueMs), state: 'done', note: `ran at v${earlier.bookingVersion}` });
    } else if (earlier?.state === 'failed') {
      steps.push({ kind, dueAt: new Date(dueMs), state: 'failed', note: `failed at v${earlier.bookingVersion}` });
    } else {
      steps.push({ kind, dueAt: new Date(dueMs), state: 'pending' });
    }
  };

  const previousStart = previousStartOf(input.earlierSteps, timings, fallbackRingMs);
  const isMoved = previousStart !== undefined && previousStart.getTime() !== start;
  for (const { slot, contact, told } of contacts) {
    const suffix = slotSuffix(slot);
    const channel: SmsCallChannel = contact?.channel ?? 'video';
    const canText = contact?.canGetSms === true && names.length > 0;
    const addSmsStep = (base: ContactSmsStepKind, dueAt: Date) => {
      const kind: SmsStepKind = `${base}${suffix}`;
      if (!canText) {
        steps.push({ kind, dueAt, state: 'done', note: 'no-sms: the contact cannot get SMS' });
        return;
      }
      steps.push({ kind, dueAt, state: 'pending' });
      const template = SMS_STEP_TEMPLATES[kind];
      const message: SmsMessage =
        template === 'call-now'
          ? { kind: template, childNames: names, channel }
          : { kind: template, childNames: names, start: booking.start, channel };
      sms.push({ name: kind, to: slot, dueAt, message });
    };

    if (isAdhoc) {
      if (now < end && !told) addSmsStep('call-now-sms', input.now);
    } else if (now < start) {
      if (!told) addSmsStep('confirm-sms', input.now);
      else if (isMoved && previousStart && canText) {
        sms.push({
          name: `booking-moved${suffix}`,
          to: slot,
          dueAt: input.now,
          message: { kind: 'booking-moved', childNames: names, previousStart, start: booking.start },
        });
      }
    }
    const dayBefore = start - timings.dayBeforeMs;
    if (dayBefore > now) addSmsStep('reminder-day-before', new Date(dayBefore));
    const reminder = start - timings.reminderMs;
    if (reminder > now) addSmsStep('reminder-15m', new Date(reminder));

    if (now < end) {
      if (contact?.canBeRung && contact.channel === 'phone') addStep(`ring-phone${suffix}`, start);
      const fallback = start + fallbackRingMs;
      if (contact?.canBeRung && contact.channel === 'video' && contact.phoneFallback && fallback < end) {
        addStep(`fallback-ring${suffix}`, fallback);
      }
      const voiceNotify = fallback + timings.voiceNotifyAfterWaitMs;
      if (input.voiceNotify && contact?.canBeRung && voiceNotify < end) addStep(`voice-notify${suffix}`, voiceNotify);
    }
  }

  if (now < end) {
    addStep('open-room', start - timings.openRoomMs);
    if (input.kioskWaitMs !== undefined && start + input.kioskWaitMs < end - timings.warnEndMs) {
      addStep('kiosk-wait-limit', start + input.kioskWaitMs);
    }
    addStep('warn-end', end - timings.warnEndMs);
  }
  addStep('close-room', end + timings.closeGraceMs);
  addStep('decide-outcome', end + timings.decideOutcomeMs);
  steps.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  sms.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return { steps, sms };
}

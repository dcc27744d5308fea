import { closeRoomStep } from '../call-end/close-room-step.ts';
import { decideOutcomeStep } from '../call-end/decide-outcome-step.ts';
import { withSecondContact } from './contact-slot.ts';
import { kioskWaitLimitStep } from './kiosk-wait-limit-step.ts';
import { openRoomStep } from './open-room-step.ts';
import { fallbackRingStep, ringPhoneStep } from './ring-phone-step.ts';
import { smsStep } from './sms-step.ts';
import type { BookingStepHandler, BookingStepHandlers, ContactStepKind } from './step-handler.ts';
import { voiceNotifyStep } from './voice-notify-step.ts';
import { warnEndStep } from './warn-end-step.ts';

/** The handler of each contact's steps; a three-way call's second contact's `-2` steps run the same. */
const CONTACT_STEP_HANDLERS: Readonly<Record<ContactStepKind, BookingStepHandler>> = {
  'call-now-sms': smsStep,
  'confirm-sms': smsStep,
  'reminder-day-before': smsStep,
  'reminder-15m': smsStep,
  'ring-phone': ringPhoneStep,
  'fallback-ring': fallbackRingStep,
  'voice-notify': voiceNotifyStep,
};

/** The handler of every step kind, as the `lifecycle` worker runs them. */
export const BOOKING_STEP_HANDLERS: BookingStepHandlers = {
  ...withSecondContact(CONTACT_STEP_HANDLERS),
  'open-room': openRoomStep,
  'kiosk-wait-limit': kioskWaitLimitStep,
  // A ring-back is a fallback ring on demand: not when the contact is in the room already.
  'ring-back': fallbackRingStep,
  'warn-end': warnEndStep,
  'close-room': closeRoomStep,
  'decide-outcome': decideOutcomeStep,
};

import { closeRoomStep } from '../call-end/close-room-step.ts';
import { decideOutcomeStep } from '../call-end/decide-outcome-step.ts';
import { kioskWaitLimitStep } from './kiosk-wait-limit-step.ts';
import { openRoomStep } from './open-room-step.ts';
import { fallbackRingStep, ringPhoneStep } from './ring-phone-step.ts';
import { smsStep } from './sms-step.ts';
import type { BookingStepHandlers } from './step-handler.ts';
import { warnEndStep } from './warn-end-step.ts';

/** The handler of every step kind, as the `lifecycle` worker runs them. */
export const BOOKING_STEP_HANDLERS: BookingStepHandlers = {
  'call-now-sms': smsStep,
  'confirm-sms': smsStep,
  'reminder-day-before': smsStep,
  'reminder-15m': smsStep,
  'call-now-sms-2': smsStep,
  'confirm-sms-2': smsStep,
  'reminder-day-before-2': smsStep,
  'reminder-15m-2': smsStep,
  'open-room': openRoomStep,
  'ring-phone': ringPhoneStep,
  'ring-phone-2': ringPhoneStep,
  'fallback-ring': fallbackRingStep,
  'fallback-ring-2': fallbackRingStep,
  'kiosk-wait-limit': kioskWaitLimitStep,
  // A ring-back is a fallback ring on demand: not when the contact is in the room already.
  'ring-back': fallbackRingStep,
  'warn-end': warnEndStep,
  'close-room': closeRoomStep,
  'decide-outcome': decideOutcomeStep,
};

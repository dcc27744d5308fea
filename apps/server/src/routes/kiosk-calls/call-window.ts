import { AppError } from '@affection/core';
import type { KioskCallRecord } from '@affection/db';

/** A call can be joined from this long before its start (5 minutes) until its end. */
export const CALL_OPENS_BEFORE_START_MS = 5 * 60_000;

/** The kiosk lists calls starting within this long (30 minutes), and those running now. */
export const KIOSK_LOOKAHEAD_MS = 30 * 60_000;

/**
 * Where a call stands for the kiosk:
 * - `not-yet`: more than 5 minutes before the start;
 * - `open`: from 5 minutes before the start to the end;
 * - `ended`: past the end, or the call is completed or missed;
 * - `cancelled`: cancelled or declined.
 */
export type CallWindowState = 'not-yet' | 'open' | 'ended' | 'cancelled';

/** The {@link CallWindowState} of `call` at `now`. */
export function callWindowState(call: Pick<KioskCallRecord, 'status' | 'start' | 'end'>, now: Date): CallWindowState {
  if (call.status === 'cancelled' || call.status === 'declined') return 'cancelled';
  if (call.status === 'completed' || call.status === 'missed') return 'ended';
  const at = now.getTime();
  if (at < call.start.getTime() - CALL_OPENS_BEFORE_START_MS) return 'not-yet';
  if (at > call.end.getTime()) return 'ended';
  return 'open';
}

const REFUSALS: Record<Exclude<CallWindowState, 'open'>, string> = {
  'not-yet': 'This call is not open yet: it opens 5 minutes before it starts.',
  ended: 'This call has ended.',
  cancelled: 'This call was cancelled.',
};

/** A 409 saying why a call cannot be joined now (`details.reason` is the state). */
export function callNotOpenError(state: Exclude<CallWindowState, 'open'>): AppError {
  return new AppError('conflict', REFUSALS[state], {
    userMessageKey: `error.kiosk-call.${state}`,
    details: { reason: state },
  });
}

import type { LiveCallRefusal } from '@affection/bookings';
import { AppError, type AppErrorCode } from '@affection/core';
import { refusals } from '../route-refusals.ts';

/** Why a board action may be refused, beyond the live-call refusals of the booking layer. */
export type BoardRefusal = LiveCallRefusal | 'no-phone-line' | 'cannot-ring' | 'already-ringing';

const REFUSALS: Record<BoardRefusal, { code: AppErrorCode; message: string }> = {
  'not-live': {
    code: 'conflict',
    message: 'This call is not going on now (or it changed meanwhile). Refresh the board.',
  },
  'already-ended': { code: 'conflict', message: 'This call has already ended.' },
  'kiosk-busy': {
    code: 'conflict',
    message: 'The kiosk, a child or the parent has another call right after this one.',
  },
  'no-phone-line': {
    code: 'service-unavailable',
    message: 'No phone line is set up, so parents cannot be rung from here. Call them from a phone instead.',
  },
  'cannot-ring': {
    code: 'unprocessable',
    message: 'This parent cannot be rung: no number on file, not approved, or they take video calls only.',
  },
  'already-ringing': { code: 'conflict', message: 'The parent is being rung (or was rung) for this call already.' },
};

/** The refusals a board action publishes (`x-refusals`). */
export const LIVE_CALL_REFUSALS = refusals('board', 'not-live', 'already-ended', 'kiosk-busy');

/** The refusals of "ring the parent now". */
export const RING_REFUSALS = refusals(
  'board',
  'not-live',
  'already-ended',
  'no-phone-line',
  'cannot-ring',
  'already-ringing',
);

/**
 * The one error body of a refused board action: 409 for a call that is not live, ended, or has no room after it;
 * 503 when no phone line is set up; 422 for a parent who cannot be rung. `details.reason` names it and the message
 * key is `error.board.<reason>`.
 */
export function boardRefusalError(reason: BoardRefusal): AppError {
  const refusal = REFUSALS[reason];
  return new AppError(refusal.code, refusal.message, {
    userMessageKey: `error.board.${reason}`,
    details: { reason },
  });
}

import type { BookingRecord } from '@affection/db';

/**
 * Why a teacher's action on a call under way was refused: `not-live` (the call is not going on now: not started,
 * cancelled, or changed meanwhile), `already-ended` (it was completed or missed), `kiosk-busy` (the kiosk, a child
 * or the contact has another call in the minutes after it).
 */
export type LiveCallRefusal = 'not-live' | 'already-ended' | 'kiosk-busy';

/** What an action on a call under way answers. */
export type LiveCallOutcome = { ok: true; booking: BookingRecord } | { ok: false; reason: LiveCallRefusal };

/** The refusal for a booking that is no longer in a status that holds its slot. */
export function refusalOfStatus(status: BookingRecord['status']): LiveCallRefusal {
  return status === 'completed' || status === 'missed' ? 'already-ended' : 'not-live';
}

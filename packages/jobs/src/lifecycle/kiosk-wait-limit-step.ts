import { endCallNow } from '@affection/bookings';
import type { BookingStepHandler } from './step-handler.ts';

/**
 * `kiosk-wait-limit`: the longest a child waits at the kiosk for a parent who has not come (the Home's
 * `kiosk_wait_minutes`, default 3), planned that long after the start. When it falls due:
 * - a parent is in the room (family page or phone): `not-needed`;
 * - a child has waited alone less than the limit (they came late): the step runs again when their wait is up;
 * - nobody is in the room, or the call has no rooms (no LiveKit): `no-child` / `unavailable`, nothing ends;
 * - a child has waited the whole limit alone: the call ends now (its end moves to now, as the board's "end" does;
 *   the kiosk tells the child and returns to its start), and its room is closed. The outcome is decided as at any
 *   call's end (`parent-no-show` on the board), and the missed-call offer of a new time follows.
 */
export const kioskWaitLimitStep: BookingStepHandler = async (context) => {
  const { booking, callRooms, db, now, bookingEvents, step } = context;
  if (!callRooms) return { kind: 'done', outcome: 'unavailable', note: 'LiveKit is not configured' };
  const participants = await callRooms.listParticipants(booking.id);
  if (participants.some((p) => p.who?.role === 'parent' || p.who?.role === 'phone')) {
    return { kind: 'done', outcome: 'not-needed', note: 'a parent is in the room' };
  }
  const children = participants.filter((p) => p.who?.role === 'child');
  if (children.length === 0) return { kind: 'done', outcome: 'no-child' };
  const limitMs = step.dueAt.getTime() - booking.start.getTime();
  const waitingSince = Math.max(booking.start.getTime(), Math.min(...children.map((p) => p.joinedAt.getTime())));
  const leftMs = waitingSince + limitMs - now().getTime();
  if (leftMs > 1_000)
    return { kind: 'retry', reason: 'the child came late; their wait is not up yet', retryAfterMs: leftMs };
  const ended = await endCallNow(
    { db, now, events: bookingEvents },
    { kind: 'system', job: 'call-end' },
    {
      homeId: booking.homeId,
      bookingId: booking.id,
      expectedVersion: booking.version,
    },
  );
  if (!ended.ok) return { kind: 'done', outcome: 'not-live', note: ended.reason };
  await callRooms.closeRoom(booking.id).catch(() => undefined);
  return { kind: 'done', outcome: 'ended', note: 'the parent did not come' };
};

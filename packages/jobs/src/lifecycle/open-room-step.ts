import type { BookingStepHandler } from './step-handler.ts';

/** Kiosk + parent (+ phone) + an observer, as the kiosk's own join opens it. */
export const ROOM_MAX_PARTICIPANTS = 5;

/** An empty room stays open at least this long, and always until the call's end. */
export const ROOM_MIN_EMPTY_TIMEOUT_SECONDS = 120;

/**
 * `open-room`: opens the booking's LiveKit room before the start (idempotent: an open room is returned as it is),
 * kept open while empty until the call's end. `unavailable` without LiveKit. A provider failure that may pass is
 * retried (a retryable `TelephonyError` thrown by the port).
 */
export const openRoomStep: BookingStepHandler = async ({ callRooms, booking, now }) => {
  if (!callRooms) return { kind: 'done', outcome: 'unavailable', note: 'LiveKit is not configured' };
  const untilEndSeconds = Math.ceil((booking.end.getTime() - now().getTime()) / 1000);
  const room = await callRooms.openRoom({
    bookingId: booking.id,
    homeId: booking.homeId,
    emptyTimeoutSeconds: Math.max(ROOM_MIN_EMPTY_TIMEOUT_SECONDS, untilEndSeconds),
    maxParticipants: ROOM_MAX_PARTICIPANTS,
  });
  return { kind: 'done', outcome: 'opened', note: `${room.participantCount} in the room` };
};

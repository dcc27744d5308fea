import { ROOM_API_SOURCE } from '../call-log/fold-call-log.ts';
import { updateCallLog } from '../call-log/update-call-log.ts';
import type { BookingStepHandler } from '../lifecycle/step-handler.ts';

/**
 * The `close-room` step, at the call's hard end. First asks the room who is still in it (`listParticipants`): that
 * fills in what webhooks missed — someone still there counts until now — and is kept in the call log as the room
 * API's view at close (identities we issue only: a participant we did not admit may be named after a phone number),
 * with the log rebuilt at once. Then closes the room, disconnecting everyone. Idempotent: a retry finds the room empty
 * or gone, which changes nothing in the log. Without LiveKit the close is still recorded, so that the kiosk's open
 * reports end here.
 */
export const closeRoomStep: BookingStepHandler = async ({ db, callRooms, booking, now }) => {
  const present = callRooms ? await callRooms.listParticipants(booking.id) : [];
  const closedAt = now();
  await updateCallLog(db, booking.id, {
    now: closedAt,
    close: {
      source: ROOM_API_SOURCE,
      closedAt: closedAt.toISOString(),
      present: present
        .filter((p) => p.who !== undefined)
        .map((p) => ({ identity: p.identity, joinedAt: p.joinedAt.toISOString() })),
    },
  });
  if (!callRooms) return { kind: 'done', outcome: 'unavailable' };
  const closed = await callRooms.closeRoom(booking.id);
  return {
    kind: 'done',
    outcome: closed.ok ? 'closed' : 'already-closed',
    note: `${present.length} still in the room`,
  };
};

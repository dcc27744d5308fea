import { AppError, isAppError, MAX_JOIN_TOKEN_TTL_SECONDS } from '@affection/core';
import { getBooking, getContact } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { safeErrorForLog } from '../../errors/safe-error.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { familyRefusal } from './family-errors.ts';
import {
  CALL_ROOM_EMPTY_TIMEOUT_SECONDS,
  CALL_ROOM_MAX_PARTICIPANTS,
  JOIN_OPENS_BEFORE_MS,
} from './family-settings.ts';

const FamilyCallJoinSchema = z
  .object({
    url: z.string().openapi({ example: 'wss://livekit.example.org', description: 'The LiveKit server to connect to' }),
    token: z.string().openapi({ description: 'A join token for this room only, living at most 10 minutes' }),
    room: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    identity: z.string().openapi({ example: 'parent:cnt_7m2k9x4q1b8c0d5e' }),
    endsAt: z.string().datetime().openapi({ description: 'The hard end of the call' }),
    expiresAt: z.string().datetime().openapi({ description: 'After this the token admits no new join' }),
  })
  .openapi('FamilyCallJoin');

export const route = createRoute({
  method: 'post',
  path: '/api/family/calls/{id}/join',
  tags: ['family'],
  summary: "Join one of the family's own calls by video, from 5 minutes before its start until its end",
  description:
    'Opens the call room if it is not open yet and answers a short-lived token (camera and microphone) for ' +
    '`parent:<contactId>`. Another household’s booking, or one this contact is not on, is 404; a call not ' +
    'open now is 409 with `details.reason` (`not-open` with `details.opensAt`, `ended`, `cancelled`); 503 ' +
    'when calls are not set up (LiveKit not configured) or LiveKit cannot be reached.',
  request: { params: idParam('bkg') },
  responses: {
    200: { description: 'Join details', content: { 'application/json': { schema: FamilyCallJoinSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
    503: { description: 'Video calls are not available right now' },
  },
});

/** `POST /api/family/calls/{id}/join` (family). */
export function registerJoinFamilyCall(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { id } = c.req.valid('param');
    const { database, now, callRooms, livekitClientUrl } = c.get('services');
    const booking = await getBooking(database.db, family.homeId, id);
    const isOwn =
      booking?.householdId === family.householdId &&
      (booking.contactId === family.contactId || booking.secondContactId === family.contactId);
    if (!booking || !isOwn) throw new AppError('not-found', 'No such call of yours.');

    const at = now();
    if (booking.status === 'cancelled' || booking.status === 'declined') {
      throw familyRefusal('conflict', 'cancelled', 'This call was cancelled.');
    }
    if (booking.status === 'completed' || booking.status === 'missed' || booking.end <= at) {
      throw familyRefusal('conflict', 'ended', 'This call has ended.');
    }
    const opensAt = new Date(booking.start.getTime() - JOIN_OPENS_BEFORE_MS);
    if (booking.status === 'proposed' || at < opensAt) {
      throw familyRefusal('conflict', 'not-open', 'This call is not open yet: it opens 5 minutes before its start.', {
        opensAt: opensAt.toISOString(),
      });
    }
    if (!callRooms || !livekitClientUrl) {
      throw familyRefusal(
        'service-unavailable',
        'calls-unavailable',
        'Video calls are not set up. The Home will ring you.',
      );
    }

    const contact = await getContact(database.db, family.homeId, family.contactId);
    const secondsLeft = Math.ceil((booking.end.getTime() - at.getTime()) / 1000);
    try {
      await callRooms.openRoom({
        bookingId: booking.id,
        homeId: booking.homeId,
        emptyTimeoutSeconds: CALL_ROOM_EMPTY_TIMEOUT_SECONDS,
        maxParticipants: CALL_ROOM_MAX_PARTICIPANTS,
      });
      const token = await callRooms.issueJoinToken({
        bookingId: booking.id,
        subject: { role: 'parent', contactId: family.contactId },
        ...(contact ? { displayName: contact.name } : {}),
        ttlSeconds: Math.max(1, Math.min(MAX_JOIN_TOKEN_TTL_SECONDS, secondsLeft)),
      });
      await audit(c, 'family.call.join', 'booking', booking.id, null);
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          url: livekitClientUrl,
          token: token.token,
          room: token.room,
          identity: token.identity,
          endsAt: booking.end.toISOString(),
          expiresAt: token.expiresAt.toISOString(),
        },
        200,
      );
    } catch (error) {
      if (isAppError(error) && error.code !== 'service-unavailable' && error.code !== 'internal') throw error;
      c.get('log').error({ err: safeErrorForLog(error), bookingId: booking.id }, 'family call join failed');
      throw familyRefusal('service-unavailable', 'calls-unavailable', 'Video calls are not available right now.');
    }
  });
}

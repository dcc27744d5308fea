import { AppError, MAX_JOIN_TOKEN_TTL_SECONDS } from '@affection/core';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { callNotOpenError, callWindowState } from './call-window.ts';
import { requireKioskCall } from './require-kiosk-call.ts';

/** Kiosk, one or two parents, a phone leg and a hidden observer. */
export const ROOM_MAX_PARTICIPANTS = 5;

/** An opened room waits at least this long (2 minutes) for its first participant. */
export const ROOM_MIN_EMPTY_TIMEOUT_SECONDS = 120;

const JoinKioskCallSchema = z
  .object({ childId: idOf('chd').openapi({ example: 'chd_7m2k9x4q1b8c0d5e' }) })
  .strict()
  .openapi('JoinKioskCall');

const KioskCallJoinSchema = z
  .object({
    url: z.string().openapi({ example: 'wss://livekit.example.org', description: 'Where to connect' }),
    token: z.string().openapi({ description: 'Admits to this one room, as this child, for up to 10 minutes' }),
    room: z.string().openapi({ example: 'bkg_7m2k9x4q1b8c0d5e' }),
    identity: z.string().openapi({ example: 'kid:chd_7m2k9x4q1b8c0d5e' }),
    endsAt: z.string().datetime().openapi({ description: 'The hard end of the call' }),
    tokenExpiresAt: z.string().datetime(),
  })
  .openapi('KioskCallJoin');

export const route = createRoute({
  method: 'post',
  path: '/api/kiosk/calls/{id}/join',
  tags: ['kiosk'],
  summary: 'Join a call that is open now, as one of its children',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: JoinKioskCallSchema } } },
  },
  'x-refusals': refusals('kiosk-call', 'not-yet', 'ended', 'cancelled', 'calls-unavailable'),
  responses: {
    200: { description: 'Connect with this', content: { 'application/json': { schema: KioskCallJoinSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
    503: { description: 'Video calls are not set up on this server (LiveKit is not configured), or LiveKit is down' },
  },
});

/**
 * `POST /api/kiosk/calls/{id}/join` (kiosk): opens the booking's room if it is not open yet (the
 * jobs layer opens it 5 minutes ahead too; opening is idempotent) and answers a join token for
 * `kid:<childId>` in that one room, publishing camera and microphone, valid 10 minutes. 409 with
 * `details.reason` `not-yet` / `ended` / `cancelled` outside the call's window; a booking on another
 * kiosk of the Home may be joined (a child sent to the kiosk that is free).
 */
export function registerJoinKioskCall(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'kiosk', route, async (c, kiosk) => {
    const { id } = c.req.valid('param');
    const { childId } = c.req.valid('json');
    const { database, callRooms, livekitClientUrl, now } = c.get('services');
    if (!callRooms || !livekitClientUrl) {
      throw new AppError(
        'service-unavailable',
        'Video calls are not set up on this server (LiveKit is not configured).',
        {
          userMessageKey: 'error.kiosk-call.calls-unavailable',
        },
      );
    }
    const { call, child } = await requireKioskCall(database.db, kiosk.homeId, id, childId);
    const at = now();
    const state = callWindowState(call, at);
    if (state !== 'open') throw callNotOpenError(state);
    const secondsLeft = Math.ceil((call.end.getTime() - at.getTime()) / 1000);
    await callRooms.openRoom({
      bookingId: call.bookingId,
      homeId: kiosk.homeId,
      emptyTimeoutSeconds: Math.max(ROOM_MIN_EMPTY_TIMEOUT_SECONDS, secondsLeft),
      maxParticipants: ROOM_MAX_PARTICIPANTS,
    });
    const token = await callRooms.issueJoinToken({
      bookingId: call.bookingId,
      subject: { role: 'child', childId: child.id },
      displayName: child.givenName,
      ttlSeconds: MAX_JOIN_TOKEN_TTL_SECONDS,
    });
    c.get('log').info({ bookingId: call.bookingId, kioskId: kiosk.kioskId }, 'kiosk joins call');
    return c.json(
      {
        url: livekitClientUrl,
        token: token.token,
        room: token.room,
        identity: token.identity,
        endsAt: call.end.toISOString(),
        tokenExpiresAt: token.expiresAt.toISOString(),
      },
      200,
    );
  });
}

import { endCallNow } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { bookingActorOf } from '../bookings/booking-actor-of.ts';
import { bookingDepsOf } from '../bookings/booking-deps.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { boardActionResultOf } from './board-action-result.ts';
import { boardRefusalError, LIVE_CALL_REFUSALS } from './board-refusal.ts';
import { BoardActionResultSchema, BoardActionSchema } from './board-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/board/calls/{id}/end',
  tags: ['board'],
  summary: 'End a call under way now',
  description:
    'The call’s end moves to now and its room is closed (everyone leaves); the outcome is decided from the call log ' +
    'as at any call’s end. Only from the room’s opening (5 minutes before the start) to the end.',
  'x-refusals': LIVE_CALL_REFUSALS,
  request: {
    params: idParam('bkg'),
    body: { required: false, content: { 'application/json': { schema: BoardActionSchema } } },
  },
  responses: {
    200: { description: 'Ended', content: { 'application/json': { schema: BoardActionResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/board/calls/{id}/end` (teacher). */
export function registerEndBoardCall(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const services = c.get('services');
    const outcome = await endCallNow(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
    });
    if (!outcome.ok) throw boardRefusalError(outcome.reason);
    // The lifecycle's close step runs after its grace; the teacher asked for now. A failure here is left to it.
    await services.callRooms?.closeRoom(id).catch((error: Error) => {
      c.get('log').warn({ reason: error.message }, 'closing the room at once failed; the lifecycle closes it');
    });
    return c.json(boardActionResultOf(outcome.booking), 200);
  });
}

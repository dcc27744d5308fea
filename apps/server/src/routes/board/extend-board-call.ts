import { extendCall } from '@affection/bookings';
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
  path: '/api/board/calls/{id}/extend',
  tags: ['board'],
  summary: 'Give a call under way 5 more minutes',
  description:
    'Only while the call runs, and only when the kiosk, the children and the parent are free for the 5 minutes ' +
    'after it (409 `kiosk-busy`); the end warning and the room’s close move with the new end.',
  'x-refusals': LIVE_CALL_REFUSALS,
  request: {
    params: idParam('bkg'),
    body: { required: false, content: { 'application/json': { schema: BoardActionSchema } } },
  },
  responses: {
    200: { description: 'Extended', content: { 'application/json': { schema: BoardActionResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/board/calls/{id}/extend` (teacher). */
export function registerExtendBoardCall(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json') ?? {};
    const outcome = await extendCall(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
    });
    if (!outcome.ok) throw boardRefusalError(outcome.reason);
    return c.json(boardActionResultOf(outcome.booking), 200);
  });
}

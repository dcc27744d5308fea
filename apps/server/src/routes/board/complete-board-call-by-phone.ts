import { completeByPhone } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { bookingActorOf } from '../bookings/booking-actor-of.ts';
import { bookingDepsOf } from '../bookings/booking-deps.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { boardActionResultOf } from './board-action-result.ts';
import { boardRefusalError, LIVE_CALL_REFUSALS } from './board-refusal.ts';
import { BoardActionResultSchema, DoneByPhoneSchema } from './board-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/board/calls/{id}/done-by-phone',
  tags: ['board'],
  summary: 'Mark a call as done by an ordinary phone, with the minutes talked',
  description:
    'For a parent the teacher rang from the Home’s phone: the booking is completed (it counts as the child’s call) ' +
    'and the audit trail keeps who marked it and the minutes (`call.done-by-phone`). Only before or during the call ' +
    '(409 `already-ended` once the call’s outcome was decided).',
  'x-refusals': LIVE_CALL_REFUSALS,
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: DoneByPhoneSchema } } },
  },
  responses: {
    200: { description: 'Recorded', content: { 'application/json': { schema: BoardActionResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/board/calls/{id}/done-by-phone` (teacher). */
export function registerCompleteBoardCallByPhone(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const services = c.get('services');
    const outcome = await completeByPhone(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      minutes: body.minutes,
      ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
    });
    if (!outcome.ok) throw boardRefusalError(outcome.reason);
    await services.callRooms?.closeRoom(id).catch((error: Error) => {
      c.get('log').warn({ reason: error.message }, 'closing the room of a call done by phone failed');
    });
    return c.json(boardActionResultOf(outcome.booking), 200);
  });
}

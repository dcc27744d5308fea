import { moveSeries } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { RescheduleSeriesSchema, SeriesResultSchema } from './booking-schemas.ts';
import { toSeriesResultDto } from './series-response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/series/{id}/reschedule',
  tags: ['bookings'],
  summary: "Move a series' coming occurrences to another weekday and time",
  description:
    "Each `proposed` or `confirmed` occurrence from `from` (default now) moves to `startTime` (Home's zone) on " +
    '`weekday` (default: its own) of its own week, with the checks of a single move. Occurrences that cannot move ' +
    'keep their slot and are listed in `skipped`. To move one occurrence only, reschedule that booking.',
  request: {
    params: idParam('ser'),
    body: { required: true, content: { 'application/json': { schema: RescheduleSeriesSchema } } },
  },
  responses: {
    200: {
      description: 'Moved (some may be skipped)',
      content: { 'application/json': { schema: SeriesResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings/series/{id}/reschedule` (teacher). */
export function registerRescheduleSeries(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const result = await moveSeries(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      seriesId: id,
      startTime: input.startTime,
      weekday: input.weekday,
      kioskId: input.kioskId,
      from: input.from ? new Date(input.from) : services.now(),
    });
    if ('ok' in result) throw bookingRefusalError(result.reason);
    return c.json(toSeriesResultDto(result), 200);
  });
}

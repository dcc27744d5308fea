import { cancelSeries } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { CancelSeriesSchema, SeriesResultSchema } from './booking-schemas.ts';
import { toSeriesResultDto } from './series-response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/series/{id}/cancel',
  tags: ['bookings'],
  summary: "Cancel a series' coming occurrences, with a reason",
  description:
    'Cancels every `proposed` or `confirmed` occurrence starting from `from` (default now), in one statement. To ' +
    'cancel one occurrence only, cancel that booking. 409 `not-active` when none is left.',
  request: {
    params: idParam('ser'),
    body: { required: true, content: { 'application/json': { schema: CancelSeriesSchema } } },
  },
  responses: {
    200: { description: 'Cancelled', content: { 'application/json': { schema: SeriesResultSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/bookings/series/{id}/cancel` (teacher). */
export function registerCancelSeries(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const result = await cancelSeries(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      seriesId: id,
      reason: input.reason,
      from: input.from ? new Date(input.from) : services.now(),
    });
    if ('ok' in result) throw bookingRefusalError(result.reason);
    return c.json(toSeriesResultDto(result), 200);
  });
}

import { AppError } from '@affection/core';
import { cancelSeries, listBookingsOfSeries } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { staffOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingChanged } from './booking-changed.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { CancelSeriesSchema, SeriesResultSchema } from './booking-schemas.ts';
import { homeZoneOf } from './home-zone.ts';
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
  addRoute(app, 'teacher', route, async (c) => {
    const staff = staffOf(c.get('principal'));
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const db = database.db;
    const at = now();
    const cancelled = await cancelSeries(db, staff.homeId, id, {
      reason: input.reason,
      from: input.from ? new Date(input.from) : at,
      now: at,
    });
    if (cancelled.length === 0) {
      const any = await listBookingsOfSeries(db, staff.homeId, id);
      if (any.length === 0) throw new AppError('not-found', 'No such series in your Home.');
      throw bookingRefusalError('not-active');
    }
    for (const booking of cancelled) await bookingChanged(c, 'cancel', booking);
    return c.json(
      toSeriesResultDto({ seriesId: id, bookings: cancelled, skipped: [] }, await homeZoneOf(db, staff.homeId)),
      200,
    );
  });
}

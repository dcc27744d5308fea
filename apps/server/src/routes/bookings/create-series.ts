import { bookSeries } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { CreateSeriesSchema, SeriesResultSchema } from './booking-schemas.ts';
import { toSeriesResultDto } from './series-response.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/series',
  tags: ['bookings'],
  summary: 'Book a standing weekly call for N weeks',
  description:
    "The same slot every week (same wall-clock time in the Home's zone), each occurrence its own booking sharing a " +
    '`seriesId`, on one kiosk where it is free. Occurrences may reach past the booking horizon; each is otherwise ' +
    'checked like a single booking, and those that cannot be booked (a holiday, a taken slot, the weekly quota) are ' +
    'listed in `skipped` with their reason. When none can be booked the answer is the first refusal.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateSeriesSchema } } } },
  responses: {
    201: {
      description: 'Booked (some may be skipped)',
      content: { 'application/json': { schema: SeriesResultSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings/series` (teacher). */
export function registerCreateSeries(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const result = await bookSeries(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      householdId: input.householdId,
      contactId: input.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
      kioskId: input.kioskId,
      start: new Date(input.start),
      weeks: input.weeks,
      createdBy: staff.staffId,
    });
    return c.json(toSeriesResultDto(result), 201);
  });
}

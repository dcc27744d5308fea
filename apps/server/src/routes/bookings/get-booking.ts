import { AppError } from '@affection/core';
import { getBooking } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toBookingDto } from './booking-dto.ts';
import { BookingSchema } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/bookings/{id}',
  tags: ['bookings'],
  summary: 'One booking of the Home',
  request: { params: idParam('bkg') },
  responses: {
    200: { description: 'The booking', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/bookings/{id}` (teacher): another Home's booking is a 404. */
export function registerGetBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const db = c.get('services').database.db;
    const booking = await getBooking(db, staff.homeId, id);
    if (!booking) throw new AppError('not-found', 'No such booking in your Home.');
    return c.json(toBookingDto(booking, await loadHomeZone(db, staff.homeId)), 200);
  });
}

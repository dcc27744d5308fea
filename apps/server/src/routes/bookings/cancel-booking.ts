import { AppError } from '@affection/core';
import { cancelBooking } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { staffOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingChanged } from './booking-changed.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema, CancelBookingSchema, toBookingDto } from './booking-schemas.ts';
import { homeZoneOf } from './home-zone.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/{id}/cancel',
  tags: ['bookings'],
  summary: 'Cancel a booking (one occurrence of a series too), with a reason',
  description:
    'Only `proposed` and `confirmed` bookings can be cancelled (else 409 `not-active`). The slot is free again at ' +
    'once. The reason is kept on the booking, never in logs or the audit trail.',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: CancelBookingSchema } } },
  },
  responses: {
    200: { description: 'Cancelled', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/bookings/{id}/cancel` (teacher). */
export function registerCancelBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c) => {
    const staff = staffOf(c.get('principal'));
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const result = await cancelBooking(database.db, staff.homeId, id, {
      reason: input.reason,
      now: now(),
      expectedVersion: input.version,
    });
    if (!result.ok) {
      if (result.reason === 'not-found') throw new AppError('not-found', 'No such booking in your Home.');
      throw bookingRefusalError('not-active');
    }
    await bookingChanged(c, 'cancel', result.booking);
    return c.json(toBookingDto(result.booking, await homeZoneOf(database.db, staff.homeId)), 200);
  });
}

import { cancelBooking } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema, CancelBookingSchema } from './booking-schemas.ts';

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
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const outcome = await cancelBooking(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      reason: input.reason,
      expectedVersion: input.version,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    return c.json(toBookingDto(outcome.booking, outcome.timeZone), 200);
  });
}

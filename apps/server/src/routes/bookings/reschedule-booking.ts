import { moveBooking } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema, RescheduleBookingSchema } from './booking-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/{id}/reschedule',
  tags: ['bookings'],
  summary: 'Move a booking (one occurrence of a series too) to another slot',
  description:
    'Same children and contacts; the same kiosk if it is free in the new slot, else a free one, unless `kioskId` ' +
    'is given. Only `proposed` and `confirmed` bookings move (else 409 `not-active`); with `version`, a booking ' +
    'changed meanwhile is refused the same way. Other refusals as for a new booking.',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: RescheduleBookingSchema } } },
  },
  responses: {
    200: { description: 'Moved', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings/{id}/reschedule` (teacher). */
export function registerRescheduleBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const outcome = await moveBooking(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      start: new Date(input.start),
      kioskId: input.kioskId,
      expectedVersion: input.version,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    return c.json(toBookingDto(outcome.booking, outcome.timeZone), 200);
  });
}

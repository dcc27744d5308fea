import { answerProposal } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';

/** Body of `POST /api/bookings/{id}/confirm`. */
export const ConfirmBookingSchema = z
  .object({
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the proposal changed meanwhile' }),
  })
  .strict()
  .openapi('ConfirmBooking');

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/{id}/confirm',
  tags: ['bookings'],
  summary: 'Confirm a proposed call (the weekly proposals) for the family',
  description:
    'A `proposed` booking becomes `confirmed`: the family gets its confirmation SMS, the reminders and the room are ' +
    'planned at once (the booking lifecycle), as when the parent confirms by SMS. 409 `not-active` when it is no ' +
    'longer a proposal (or its version moved on).',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: ConfirmBookingSchema } } },
  },
  'x-refusals': refusals('booking', 'not-active'),
  responses: {
    200: { description: 'Confirmed', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/bookings/{id}/confirm` (teacher). */
export function registerConfirmBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await answerProposal(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      answer: 'confirm',
      expectedVersion: input.version,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zone = await loadHomeZone(services.database.db, staff.homeId);
    return c.json(toBookingDto(outcome.booking, zone), 200);
  });
}

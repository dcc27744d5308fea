import { cancelBooking } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { CancelBookingSchema, FamilyBookingSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/family/bookings/{id}/cancel',
  tags: ['family'],
  summary: "Cancel one of the household's bookings before it starts",
  description:
    "Another household's booking is a 404. Only a `proposed` or `confirmed` booking that has not started yet can " +
    'be cancelled (else 409 `not-active`).',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: CancelBookingSchema } } },
  },
  responses: {
    200: { description: 'Cancelled', content: { 'application/json': { schema: FamilyBookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/family/bookings/{id}/cancel` (family): its own household's bookings only. */
export function registerCancelFamilyBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await cancelBooking(bookingDepsOf(services), bookingActorOf(family), {
      homeId: family.homeId,
      bookingId: id,
      reason: input.reason,
      expectedVersion: input.version,
      householdId: family.householdId,
      beforeStart: true,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zones = await familyZones(services.database.db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(outcome.booking, zones.home, zones.contact), 200);
  });
}

import { bookSlot } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { CreateFamilyBookingSchema, FamilyBookingSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/family/bookings',
  tags: ['family'],
  summary: "Book a slot for the signed-in contact's household",
  description:
    "With the signed-in contact unless `contactId` names another contact of the household; all the household's " +
    'active children share the call. Refusals as for `POST /api/bookings`.',
  request: { body: { required: true, content: { 'application/json': { schema: CreateFamilyBookingSchema } } } },
  responses: {
    201: { description: 'Booked', content: { 'application/json': { schema: FamilyBookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/family/bookings` (family): its own household only; source `parent`. */
export function registerCreateFamilyBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await bookSlot(bookingDepsOf(services), bookingActorOf(family), {
      homeId: family.homeId,
      householdId: family.householdId,
      contactId: input.contactId ?? family.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
      start: new Date(input.start),
      status: 'confirmed',
      source: 'parent',
      createdBy: family.contactId,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zones = await familyZones(services.database.db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(outcome.booking, zones.home, zones.contact), 201);
  });
}

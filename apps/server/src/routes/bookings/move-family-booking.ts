import { moveBooking } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { FamilyBookingSchema, InstantSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

/** Body of `POST /api/family/bookings/{id}/move`. */
export const MoveFamilyBookingSchema = z
  .object({
    start: InstantSchema.openapi({ description: 'One of the offered slots (`GET /api/family/available-slots`)' }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the booking changed meanwhile' }),
  })
  .strict()
  .openapi('MoveFamilyBooking');

export const route = createRoute({
  method: 'post',
  path: '/api/family/bookings/{id}/move',
  tags: ['family'],
  summary: "Move one of the household's coming calls to another slot",
  description:
    'Same children and contacts; the same kiosk when it is free in the new slot, else a free one. Another ' +
    "household's booking is a 404. Only a `proposed` or `confirmed` booking moves (else 409 `not-active`, also " +
    'when `version` moved on); other refusals as for a new booking (409 `slot-taken` when the slot was just taken).',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: MoveFamilyBookingSchema } } },
  },
  'x-refusals': refusals(
    'booking',
    'slot-taken',
    'child-busy',
    'contact-busy',
    'quota-reached',
    'not-active',
    'outside-hours',
    'too-soon',
    'beyond-horizon',
    'contact-not-approved',
    'no-enrolled-kiosk',
  ),
  responses: {
    200: { description: 'Moved', content: { 'application/json': { schema: FamilyBookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/family/bookings/{id}/move` (family): its own household's bookings only, through `moveBooking`. */
export function registerMoveFamilyBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await moveBooking(bookingDepsOf(services), bookingActorOf(family), {
      homeId: family.homeId,
      bookingId: id,
      start: new Date(input.start),
      expectedVersion: input.version,
      householdId: family.householdId,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zones = await familyZones(services.database.db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(outcome.booking, zones.home, zones.contact), 200);
  });
}

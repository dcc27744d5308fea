import { addSecondContact } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { FamilyBookingSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

/** Body of `POST /api/family/bookings/{id}/second-contact`. */
export const AddSecondContactSchema = z
  .object({
    contactId: idOf('cnt').openapi({
      description: 'Another approved contact of the household (`GET /api/family/contacts`)',
    }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the booking changed meanwhile' }),
  })
  .strict()
  .openapi('AddSecondContact');

export const route = createRoute({
  method: 'post',
  path: '/api/family/bookings/{id}/second-contact',
  tags: ['family'],
  summary: "Add the household's other parent to one of its coming calls (a three-way call)",
  description:
    "Another household's booking is a 404. Only a `proposed` or `confirmed` booking (else 409 `not-active`, also " +
    'when `version` moved on); 422 `contact-not-approved` for a contact not approved or not of the household, 422 ' +
    '`same-contact` for the call’s first contact, 409 `has-second-contact` when it already has one, 409 ' +
    '`contact-busy` when that contact has another call at the time. The second contact gets its own confirmation, ' +
    'reminders and rings.',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: AddSecondContactSchema } } },
  },
  'x-refusals': refusals(
    'booking',
    'contact-not-approved',
    'same-contact',
    'has-second-contact',
    'contact-busy',
    'not-active',
  ),
  responses: {
    200: { description: 'Added', content: { 'application/json': { schema: FamilyBookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/family/bookings/{id}/second-contact` (family): its own household's bookings, through `addSecondContact`. */
export function registerAddFamilySecondContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await addSecondContact(bookingDepsOf(services), bookingActorOf(family), {
      homeId: family.homeId,
      bookingId: id,
      secondContactId: input.contactId,
      expectedVersion: input.version,
      householdId: family.householdId,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zones = await familyZones(services.database.db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(outcome.booking, zones.home, zones.contact), 200);
  });
}

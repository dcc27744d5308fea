import { addSecondContact } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { AddSecondContactSchema } from './add-family-second-contact.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema } from './booking-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/{id}/second-contact',
  tags: ['bookings'],
  summary: "Add the household's other approved contact to a coming call (a three-way call)",
  description:
    'As `POST /api/family/bookings/{id}/second-contact`, for any booking of the Home: 422 `contact-not-approved` ' +
    '(not approved or not of the household), 422 `same-contact`, 409 `has-second-contact`, 409 `contact-busy`, 409 ' +
    "`not-active`. Another Home's booking is a 404.",
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
    200: { description: 'Added', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings/{id}/second-contact` (teacher), through `addSecondContact`. */
export function registerAddSecondContact(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const outcome = await addSecondContact(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      secondContactId: input.contactId,
      expectedVersion: input.version,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    return c.json(toBookingDto(outcome.booking, outcome.timeZone), 200);
  });
}

import { bookSlot } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema, CreateBookingSchema } from './booking-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings',
  tags: ['bookings'],
  summary: 'Book a slot for a household of the Home',
  description:
    "All the household's active children share the call unless `childIds` names some; one approved contact, and " +
    'optionally a second approved contact of the household for a three-way call. The server picks a free kiosk ' +
    'unless `kioskId` is given. `source: auto` books a proposal (status `proposed`) awaiting the parent. Refusals: ' +
    '409 `slot-taken`, `child-busy`, `contact-busy`, `quota-reached`; 422 `outside-hours`, `too-soon`, ' +
    '`beyond-horizon`, `contact-not-approved`, `no-children` (in `details.reason`).',
  request: { body: { required: true, content: { 'application/json': { schema: CreateBookingSchema } } } },
  responses: {
    201: { description: 'Booked', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings` (teacher). */
export function registerCreateBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const outcome = await bookSlot(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      householdId: input.householdId,
      contactId: input.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
      kioskId: input.kioskId,
      start: new Date(input.start),
      status: input.source === 'auto' ? 'proposed' : 'confirmed',
      source: input.source,
      createdBy: staff.staffId,
      freshAsOf: c.get('startedAt'),
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    return c.json(toBookingDto(outcome.booking, outcome.timeZone), 201);
  });
}

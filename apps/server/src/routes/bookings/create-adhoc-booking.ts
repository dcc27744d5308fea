import { bookAdhoc } from '@affection/bookings';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { AdhocBookingSchema, BookingSchema } from './booking-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/adhoc',
  tags: ['bookings'],
  summary: '"Call now": a call that starts now on a free kiosk',
  description:
    "For the teacher on duty today (or the Home's admin; else 403 `not-on-duty`). The Home must be open now (422 " +
    '`outside-hours`) and the contact approved (422 `contact-not-approved`); the call lasts one slot, on a kiosk ' +
    'that is free for all of it (409 `slot-taken`), with no child or contact already in a call (409 `child-busy`, ' +
    '`contact-busy`). It ignores the slot grid, the notice and the weekly quota, and counts for the quota.',
  request: { body: { required: true, content: { 'application/json': { schema: AdhocBookingSchema } } } },
  responses: {
    201: { description: 'Booked; the call starts now', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/** `POST /api/bookings/adhoc` (teacher on duty, or admin). */
export function registerCreateAdhocBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const input = c.req.valid('json');
    const outcome = await bookAdhoc(bookingDepsOf(c.get('services')), bookingActorOf(staff), {
      homeId: staff.homeId,
      householdId: input.householdId,
      contactId: input.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    return c.json(toBookingDto(outcome.booking, outcome.timeZone), 201);
  });
}

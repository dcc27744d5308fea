import { wallClockOf } from '@affection/core';
import { isStaffOnDuty } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { staffOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookAdhoc } from './book-adhoc.ts';
import { bookingChanged } from './booking-changed.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { AdhocBookingSchema, BookingSchema, toBookingDto } from './booking-schemas.ts';
import { homeZoneOf } from './home-zone.ts';

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
  addRoute(app, 'teacher', route, async (c) => {
    const staff = staffOf(c.get('principal'));
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const db = database.db;
    const at = now();
    const zone = await homeZoneOf(db, staff.homeId);
    if (staff.role !== 'admin' && !(await isStaffOnDuty(db, staff.homeId, staff.staffId, wallClockOf(at, zone).date))) {
      throw bookingRefusalError('not-on-duty');
    }
    const outcome = await bookAdhoc(db, {
      homeId: staff.homeId,
      householdId: input.householdId,
      contactId: input.contactId,
      secondContactId: input.secondContactId,
      childIds: input.childIds,
      createdBy: staff.staffId,
      now: at,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    await bookingChanged(c, 'create', outcome.booking);
    return c.json(toBookingDto(outcome.booking, zone), 201);
  });
}

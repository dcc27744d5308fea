import { AppError } from '@affection/core';
import { cancelBooking, getBooking } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { familyOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingChanged } from './booking-changed.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { CancelBookingSchema, FamilyBookingSchema, toFamilyBookingDto } from './booking-schemas.ts';
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
  addRoute(app, 'family', route, async (c) => {
    const family = familyOf(c.get('principal'));
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const db = database.db;
    const booking = await getBooking(db, family.homeId, id);
    if (!booking || booking.householdId !== family.householdId) {
      throw new AppError('not-found', 'No such booking for your family.');
    }
    const at = now();
    if (booking.start.getTime() <= at.getTime()) throw bookingRefusalError('not-active');
    const result = await cancelBooking(db, family.homeId, id, {
      reason: input.reason,
      now: at,
      expectedVersion: input.version,
    });
    if (!result.ok) throw bookingRefusalError('not-active');
    await bookingChanged(c, 'cancel', result.booking);
    const zones = await familyZones(db, family.homeId, family.contactId);
    return c.json(toFamilyBookingDto(result.booking, zones.home, zones.contact), 200);
  });
}

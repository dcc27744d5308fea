import { declineProposal } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam, textOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { bookingActorOf } from './booking-actor-of.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import { BookingSchema } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';

/** Body of `POST /api/bookings/{id}/decline`. */
export const DeclineBookingSchema = z
  .object({
    reason: textOf(500).openapi({ example: '这周已经用电话联系过' }),
    version: z.number().int().min(1).optional().openapi({ description: 'Refuse if the proposal changed meanwhile' }),
  })
  .strict()
  .openapi('DeclineBooking');

export const route = createRoute({
  method: 'post',
  path: '/api/bookings/{id}/decline',
  tags: ['bookings'],
  summary: 'Decline a proposed call, with a reason',
  description:
    'A `proposed` booking becomes `declined`: its kiosk, children and contact are free again at once. The reason ' +
    'is kept on the booking (`cancelReason`), never in logs or the audit trail. 409 `not-active` when it is no ' +
    'longer a proposal (or its version moved on).',
  request: {
    params: idParam('bkg'),
    body: { required: true, content: { 'application/json': { schema: DeclineBookingSchema } } },
  },
  'x-refusals': refusals('booking', 'not-active'),
  responses: {
    200: { description: 'Declined', content: { 'application/json': { schema: BookingSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/** `POST /api/bookings/{id}/decline` (teacher). */
export function registerDeclineBooking(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const services = c.get('services');
    const outcome = await declineProposal(bookingDepsOf(services), bookingActorOf(staff), {
      homeId: staff.homeId,
      bookingId: id,
      reason: input.reason,
      expectedVersion: input.version,
    });
    if (!outcome.ok) throw bookingRefusalError(outcome.reason);
    const zone = await loadHomeZone(services.database.db, staff.homeId);
    return c.json(toBookingDto(outcome.booking, zone), 200);
  });
}

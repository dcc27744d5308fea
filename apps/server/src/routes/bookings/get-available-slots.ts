import { findSlots } from '@affection/bookings';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toSlotDto } from './booking-dto.ts';
import { AvailableSlotsSchema, isRangeValid, OptionalRangeShape, RANGE_PROBLEM } from './booking-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/bookings/available-slots',
  tags: ['bookings'],
  summary: 'Slots a household of the Home can book with one of its contacts',
  description:
    "Bookable from now (notice, horizon), with a kiosk free, inside the contact's availability windows (or at any " +
    'time with `anyTime=true`, for a time agreed by phone), with no child or the contact already booked and weekly ' +
    "quota left. Times are UTC instants, also read in the Home's and the contact's zones.",
  request: {
    query: z
      .object({
        householdId: idOf('hsh'),
        contactId: idOf('cnt'),
        anyTime: z.enum(['true', 'false']).optional(),
        exceptBookingId: idOf('bkg')
          .optional()
          .openapi({ description: 'Moving this booking: its own slot and quota count are left out' }),
        ...OptionalRangeShape,
      })
      .refine(isRangeValid, RANGE_PROBLEM),
  },
  responses: {
    200: { description: 'The slots', content: { 'application/json': { schema: AvailableSlotsSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/bookings/available-slots` (teacher): any household of the caller's Home. */
export function registerGetAvailableSlots(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const found = await findSlots(bookingDepsOf(c.get('services')), {
      homeId: staff.homeId,
      householdId: query.householdId,
      contactId: query.contactId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      anyTime: query.anyTime === 'true',
      exceptBookingId: query.exceptBookingId,
      freshAsOf: c.get('startedAt'),
    });
    return c.json(
      {
        householdId: query.householdId,
        contactId: query.contactId,
        from: found.from.toISOString(),
        to: found.to.toISOString(),
        slots: found.slots.map((slot) => toSlotDto(slot, found.homeZone, found.contact.timeZone)),
      },
      200,
    );
  });
}

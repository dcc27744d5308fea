import { findSlots } from '@affection/bookings';
import { AppError } from '@affection/core';
import { getBooking } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { bookingDepsOf } from './booking-deps.ts';
import { toSlotDto } from './booking-dto.ts';
import { AvailableSlotsSchema, isRangeValid, OptionalRangeShape, RANGE_PROBLEM } from './booking-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/family/available-slots',
  tags: ['family'],
  summary: "Slots the signed-in contact's household can book",
  description:
    "For the signed-in contact (or another contact of the same household): slots inside that contact's availability " +
    "windows with a kiosk free — every free slot of the Home's hours while the contact has set no windows. Each slot is also given in the contact's own zone. With `exceptBookingId` (one of " +
    "the household's own bookings, else 404) the slots to move that booking to.",
  request: {
    query: z
      .object({
        contactId: idOf('cnt').optional(),
        exceptBookingId: idOf('bkg')
          .optional()
          .openapi({ description: 'Moving this booking of the household: its own slot and quota count are left out' }),
        ...OptionalRangeShape,
      })
      .refine(isRangeValid, RANGE_PROBLEM),
  },
  responses: {
    200: { description: 'The slots', content: { 'application/json': { schema: AvailableSlotsSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/family/available-slots` (family): its own household only. */
export function registerGetFamilyAvailableSlots(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const query = c.req.valid('query');
    if (query.exceptBookingId) {
      const moving = await getBooking(c.get('services').database.db, family.homeId, query.exceptBookingId);
      if (!moving || moving.householdId !== family.householdId) {
        throw new AppError('not-found', 'No such booking in your Home.');
      }
    }
    const found = await findSlots(bookingDepsOf(c.get('services')), {
      homeId: family.homeId,
      householdId: family.householdId,
      contactId: query.contactId ?? family.contactId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      exceptBookingId: query.exceptBookingId,
      freshAsOf: c.get('startedAt'),
      anyTimeWithoutWindows: true,
    });
    return c.json(
      {
        householdId: family.householdId,
        contactId: found.contact.id,
        from: found.from.toISOString(),
        to: found.to.toISOString(),
        slots: found.slots.map((slot) => toSlotDto(slot, found.homeZone, found.contact.timeZone)),
      },
      200,
    );
  });
}

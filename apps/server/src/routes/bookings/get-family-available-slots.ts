import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { familyOf } from '../../auth/policy.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { AvailableSlotsSchema, isRangeValid, OptionalRangeShape, RANGE_PROBLEM, toSlotDto } from './booking-schemas.ts';
import { findSlots } from './find-slots.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/family/available-slots',
  tags: ['family'],
  summary: "Slots the signed-in contact's household can book",
  description:
    "For the signed-in contact (or another contact of the same household): slots inside that contact's availability " +
    "windows with a kiosk free. Each slot is also given in the contact's own zone.",
  request: {
    query: z.object({ contactId: idOf('cnt').optional(), ...OptionalRangeShape }).refine(isRangeValid, RANGE_PROBLEM),
  },
  responses: {
    200: { description: 'The slots', content: { 'application/json': { schema: AvailableSlotsSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/family/available-slots` (family): its own household only. */
export function registerGetFamilyAvailableSlots(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c) => {
    const family = familyOf(c.get('principal'));
    const query = c.req.valid('query');
    const { database, now } = c.get('services');
    const found = await findSlots(database.db, {
      homeId: family.homeId,
      householdId: family.householdId,
      contactId: query.contactId ?? family.contactId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      now: now(),
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

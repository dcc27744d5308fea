import { listBookingsOfHousehold } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toFamilyBookingDto } from './booking-dto.ts';
import { FamilyBookingSchema } from './booking-schemas.ts';
import { familyZones } from './family-zones.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/family/bookings',
  tags: ['family'],
  summary: "The household's coming calls",
  description: 'Bookings that have not ended yet, by start, in every status; times also in the contact’s own zone.',
  responses: {
    200: {
      description: 'Bookings by start',
      content: { 'application/json': { schema: z.object({ items: z.array(FamilyBookingSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/family/bookings` (family): its own household only. */
export function registerListFamilyBookings(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'family', route, async (c, family) => {
    const { database, now } = c.get('services');
    const [zones, items] = await Promise.all([
      familyZones(database.db, family.homeId, family.contactId),
      listBookingsOfHousehold(database.db, family.homeId, family.householdId, { from: now() }),
    ]);
    return c.json({ items: items.map((b) => toFamilyBookingDto(b, zones.home, zones.contact)) }, 200);
  });
}

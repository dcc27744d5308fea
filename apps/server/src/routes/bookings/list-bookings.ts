import { BookingStatusSchema } from '@affection/core';
import { listBookings } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toBookingDto } from './booking-dto.ts';
import { BookingSchema, isRangeValid, RANGE_PROBLEM, RequiredRangeShape } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/bookings',
  tags: ['bookings'],
  summary: "The Home's bookings overlapping a range (at most 92 days)",
  request: {
    query: z
      .object({
        householdId: idOf('hsh').optional(),
        status: z.enum(BookingStatusSchema.options).optional(),
        ...RequiredRangeShape,
      })
      .refine(isRangeValid, RANGE_PROBLEM),
  },
  responses: {
    200: {
      description: 'Bookings by start',
      content: { 'application/json': { schema: z.object({ items: z.array(BookingSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/bookings` (teacher): the caller's Home only. */
export function registerListBookings(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const [zone, items] = await Promise.all([
      loadHomeZone(db, staff.homeId),
      listBookings(db, staff.homeId, {
        from: new Date(query.from),
        to: new Date(query.to),
        householdId: query.householdId,
        statuses: query.status ? [query.status] : undefined,
      }),
    ]);
    return c.json({ items: items.map((b) => toBookingDto(b, zone)) }, 200);
  });
}

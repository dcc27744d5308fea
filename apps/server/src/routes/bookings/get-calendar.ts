import { AppError, openingIntervals } from '@affection/core';
import { listBookings, listKiosks, loadHomeCalendar } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { BookingPartySchema, loadBookingDirectory, partyOf } from './booking-directory.ts';
import { toBookingDto, zonedSpan } from './booking-dto.ts';
import { BookingSchema, isRangeValid, RANGE_PROBLEM, RequiredRangeShape, ZonedSpanSchema } from './booking-schemas.ts';

/** A booking with who it is for, by name. */
export const CalendarBookingSchema = BookingSchema.extend({ party: BookingPartySchema }).openapi('CalendarBooking');

/** The answer of `GET /api/bookings/calendar`. */
export const CalendarSchema = z
  .object({
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    from: z.string().datetime(),
    to: z.string().datetime(),
    slotMinutes: z.number().int(),
    bufferMinutes: z.number().int(),
    kiosks: z.array(
      z.object({
        id: z.string(),
        name: z.string().openapi({ example: '1号机' }),
        takesCalls: z.boolean().openapi({ description: 'Bookable: switched on, not revoked and enrolled by a tablet' }),
      }),
    ),
    open: z
      .array(z.object({ start: z.string().datetime(), end: z.string().datetime(), inHomeZone: ZonedSpanSchema }))
      .openapi({ description: "The Home's opening hours overlapping the range (rules and dated exceptions)" }),
    bookings: z.array(CalendarBookingSchema),
  })
  .openapi('Calendar');

export const route = createRoute({
  method: 'get',
  path: '/api/bookings/calendar',
  tags: ['bookings'],
  summary: "The Home's calendar over a range: kiosks, opening hours and bookings with names",
  description:
    'What the console draws a week or a day from: every booking overlapping the range (any status) with the ' +
    "household's, children's and contacts' names, the Home's opening hours (weekly rules replaced by a date's " +
    'exceptions) and the kiosks. At most 92 days.',
  request: { query: z.object(RequiredRangeShape).refine(isRangeValid, RANGE_PROBLEM) },
  responses: {
    200: { description: 'The calendar', content: { 'application/json': { schema: CalendarSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/bookings/calendar` (teacher): the caller's Home only. */
export function registerGetCalendar(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const db = c.get('services').database.db;
    const query = c.req.valid('query');
    const from = new Date(query.from);
    const to = new Date(query.to);
    const [calendar, kiosks, bookings, directory] = await Promise.all([
      loadHomeCalendar(db, staff.homeId, { start: from, end: to }),
      listKiosks(db, staff.homeId),
      listBookings(db, staff.homeId, { from, to }),
      loadBookingDirectory(db, staff.homeId),
    ]);
    if (!calendar) throw new AppError('not-found', 'Your Home no longer exists.');
    const zone = calendar.settings.timeZone;
    return c.json(
      {
        timeZone: zone,
        from: from.toISOString(),
        to: to.toISOString(),
        slotMinutes: calendar.settings.slotMinutes,
        bufferMinutes: calendar.settings.bufferMinutes,
        kiosks: kiosks.map((k) => ({
          id: k.id,
          name: k.name,
          takesCalls: k.enabled && k.status === 'enrolled',
        })),
        open: openingIntervals(calendar, from, to).map((span) => ({
          start: span.start.toISOString(),
          end: span.end.toISOString(),
          inHomeZone: zonedSpan(span.start, span.end, zone),
        })),
        bookings: bookings.map((b) => ({ ...toBookingDto(b, zone), party: partyOf(b, directory) })),
      },
      200,
    );
  });
}

import { weekStartOf } from '@affection/core';
import { listBookings, listKiosks, listLastCompletedCalls } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { DateSchema, errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { BookingPartySchema, loadBookingDirectory, partyOf } from './booking-directory.ts';
import { toBookingDto } from './booking-dto.ts';
import { BookingSchema } from './booking-schemas.ts';
import { loadHomeZone } from './load-home-zone.ts';
import { proposalWeekOf } from './proposal-week.ts';

const WEEK_MS = 7 * 24 * 3600_000;

/** Calendar weeks (Monday to Sunday in the Home's zone) from the week of `earlier` to the week of `later`. */
function calendarWeeksBetween(earlier: Date, later: Date, zone: string): number {
  const weeks = (Date.parse(weekStartOf(later, zone)) - Date.parse(weekStartOf(earlier, zone))) / WEEK_MS;
  return Math.max(0, Math.round(weeks));
}

/** One proposal with who it is for and how long the household has waited. */
export const ProposalSchema = BookingSchema.extend({
  party: BookingPartySchema,
  lastCallAt: z
    .string()
    .datetime()
    .nullable()
    .openapi({ description: "Start of the household's last completed call (any of its children); null when none" }),
  weeksSinceLastCall: z.number().int().nullable().openapi({
    example: 3,
    description:
      "Calendar weeks (the Home's, from Monday) from the week of `lastCallAt` to this week; null when the household never had a call",
  }),
}).openapi('Proposal');

/** The answer of `GET /api/bookings/proposals`. */
export const ProposalWeekSchema = z
  .object({
    week: z.string().openapi({ example: '2026-12-07', description: "Monday of the week, in the Home's zone" }),
    timeZone: z.string(),
    kiosks: z.array(z.object({ id: z.string(), name: z.string() })),
    /** Number of proposals still awaiting an answer (`proposed`). */
    awaiting: z.number().int(),
    days: z.array(
      z.object({
        date: z.string().openapi({ example: '2026-12-07' }),
        kiosks: z.array(z.object({ kioskId: z.string(), proposals: z.array(ProposalSchema) })),
      }),
    ),
  })
  .openapi('ProposalWeek');

export const route = createRoute({
  method: 'get',
  path: '/api/bookings/proposals',
  tags: ['bookings'],
  summary: "The weekly fair scheduler's proposals for a week, per day and kiosk",
  description:
    'Every booking the weekly proposals made (`source: auto`) starting in the week — still `proposed`, or already ' +
    "confirmed, declined or cancelled — grouped by day (the Home's zone) and kiosk, in time order, each with the " +
    "household's names and the weeks since its last completed call. Default week: the next one (the one the " +
    'weekly proposals plan); `week` may be any date of the wanted week.',
  request: { query: z.object({ week: DateSchema.optional() }) },
  responses: {
    200: { description: 'The week', content: { 'application/json': { schema: ProposalWeekSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/bookings/proposals` (teacher): the caller's Home only. */
export function registerListProposals(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { database, now } = c.get('services');
    const db = database.db;
    const at = now();
    const zone = await loadHomeZone(db, staff.homeId);
    const { week, start, end } = proposalWeekOf(zone, at, c.req.valid('query').week);
    const [bookings, kiosks, lastCalls, directory] = await Promise.all([
      listBookings(db, staff.homeId, { from: start, to: end }),
      listKiosks(db, staff.homeId),
      listLastCompletedCalls(db, staff.homeId),
      loadBookingDirectory(db, staff.homeId),
    ]);
    const proposals = bookings.filter((b) => b.source === 'auto' && b.start >= start && b.start < end);
    const days = new Map<string, Map<string, z.infer<typeof ProposalSchema>[]>>();
    for (const booking of proposals) {
      const dto = toBookingDto(booking, zone);
      const household = directory.childrenOfHousehold.get(booking.householdId) ?? [];
      const last = Math.max(
        ...[...new Set([...booking.childIds, ...household.map((child) => child.id)])].map(
          (id) => lastCalls.get(id)?.getTime() ?? Number.NEGATIVE_INFINITY,
        ),
      );
      const hasCalled = Number.isFinite(last);
      const byKiosk = days.get(dto.inHomeZone.date) ?? new Map<string, z.infer<typeof ProposalSchema>[]>();
      const list = byKiosk.get(booking.kioskId) ?? [];
      list.push({
        ...dto,
        party: partyOf(booking, directory),
        lastCallAt: hasCalled ? new Date(last).toISOString() : null,
        weeksSinceLastCall: hasCalled ? calendarWeeksBetween(new Date(last), at, zone) : null,
      });
      byKiosk.set(booking.kioskId, list);
      days.set(dto.inHomeZone.date, byKiosk);
    }
    const kioskOrder = new Map(kiosks.map((k, i) => [k.id, i]));
    return c.json(
      {
        week,
        timeZone: zone,
        kiosks: kiosks.map((k) => ({ id: k.id, name: k.name })),
        awaiting: proposals.filter((b) => b.status === 'proposed').length,
        days: [...days.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([date, byKiosk]) => ({
            date,
            kiosks: [...byKiosk.entries()]
              .sort(([a], [b]) => (kioskOrder.get(a) ?? 0) - (kioskOrder.get(b) ?? 0))
              .map(([kioskId, items]) => ({ kioskId, proposals: items })),
          })),
      },
      200,
    );
  });
}

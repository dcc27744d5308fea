import { listCallBookEntries } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { CallBookPageSchema, PeriodPageQuerySchema } from './report-schemas.ts';
import { callCursor, callOfCursor, loadReportHome } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/call-book',
  tags: ['reports'],
  summary: 'The call record book (亲情通话记录簿): every call booked in the period, paged (audited)',
  description:
    "Date and time in the Home's zone, the children (with the face each tapped), who they talked to, the minutes " +
    'together and the outcome. Cancelled and declined bookings are not calls.',
  request: { query: PeriodPageQuerySchema },
  responses: {
    200: { description: 'A page of the call book', content: { 'application/json': { schema: CallBookPageSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/reports/call-book` (teacher): audited as `report.call-book-read` with the booking ids of the page. */
export function registerListCallBook(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const after = callOfCursor(query.cursor);
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const page = await listCallBookEntries(db, home.id, home.timeZone, period, { limit: query.limit + 1, after });
    const items = page.items.slice(0, query.limit);
    await audit(c, 'report.call-book-read', 'home', home.id, {
      from: period.from,
      to: period.to,
      bookingIds: items.map((item) => item.bookingId),
    });
    const last = items.at(-1);
    return c.json(
      {
        home,
        period,
        total: page.total ?? 0,
        items: items.map(({ startAt: _startAt, ...item }) => ({ ...item, minutes: Math.round(item.seconds / 60) })),
        nextCursor: last && page.items.length > query.limit ? callCursor(last) : null,
      },
      200,
    );
  });
}

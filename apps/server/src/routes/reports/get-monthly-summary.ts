import { loadReportCounts } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { MonthlySummarySchema, PeriodQuerySchema } from './report-schemas.ts';
import { loadReportHome } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/monthly',
  tags: ['reports'],
  summary: "The monthly summary for the evaluation: each month's children, reached, share, minutes, missed (audited)",
  request: { query: PeriodQuerySchema },
  responses: {
    200: {
      description: 'Every month of the period',
      content: { 'application/json': { schema: MonthlySummarySchema } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/reports/monthly` (teacher): the whole Home, audited as `report.monthly-read`. */
export function registerGetMonthlySummary(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const counts = await loadReportCounts(db, home.id, home.timeZone, period, { kind: 'home' });
    await audit(c, 'report.monthly-read', 'home', home.id, { from: period.from, to: period.to });
    const { averageWeeksBetweenCalls: _weeks, ...totals } = counts.totals;
    return c.json({ home, period, items: counts.months, totals }, 200);
  });
}

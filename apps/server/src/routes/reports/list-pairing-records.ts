import { listPairingRecords } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { PairingRecordPageSchema, PeriodPageQuerySchema } from './report-schemas.ts';
import { loadReportHome, offsetCursor, offsetOfCursor } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/pairings',
  tags: ['reports'],
  summary: 'The pairing records (结对帮扶记录): pairings with the growth diary of the period, paged (audited)',
  request: { query: PeriodPageQuerySchema },
  responses: {
    200: {
      description: 'A page of the pairing records',
      content: { 'application/json': { schema: PairingRecordPageSchema } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/reports/pairings` (teacher): audited as `report.pairings-read` with the pairing ids of the page. */
export function registerListPairingRecords(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const offset = offsetOfCursor(query.cursor);
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const page = await listPairingRecords(db, home.id, home.timeZone, period, { limit: query.limit, offset });
    await audit(c, 'report.pairings-read', 'home', home.id, {
      from: period.from,
      to: period.to,
      pairingIds: page.items.map((item) => item.pairingId),
    });
    const next = offset + page.items.length;
    return c.json(
      { home, period, total: page.total, items: page.items, nextCursor: next < page.total ? offsetCursor(next) : null },
      200,
    );
  });
}

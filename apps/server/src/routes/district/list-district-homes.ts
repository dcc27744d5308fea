import { listDistrictHomes, loadReportCounts } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { PeriodQuerySchema } from '../reports/report-schemas.ts';
import { loadCallerDistrict } from './district-caller.ts';
import { DistrictHomesSchema } from './district-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/district/homes',
  tags: ['district'],
  summary: "The district's Homes with each one's reach over a period (district admin; audited)",
  description:
    "Each Home's children, children reached and calls are counted by the same SQL as its own report " +
    "(`GET /api/reports/summary`, scope home), in the Home's own zone. Another district's Homes are never listed.",
  request: { query: PeriodQuerySchema },
  responses: {
    200: { description: 'The Homes', content: { 'application/json': { schema: DistrictHomesSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/district/homes` (district): every read is audited (`district.homes-read`). */
export function registerListDistrictHomes(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'district', route, async (c, caller) => {
    const period = c.req.valid('query');
    const db = c.get('services').database.db;
    const district = await loadCallerDistrict(db, caller.districtId);
    const homes = await listDistrictHomes(db, district.id);
    const reached = [];
    // One statement per Home, each in its own zone: a district holds tens of Homes, not thousands.
    for (const home of homes) {
      const { totals } = await loadReportCounts(db, home.id, home.timeZone, period, { kind: 'home' });
      reached.push({
        id: home.id,
        name: home.name,
        timeZone: home.timeZone,
        createdAt: home.createdAt.toISOString(),
        reach: {
          children: totals.children,
          childrenReached: totals.childrenReached,
          reachedPercent: totals.reachedPercent,
          callsBooked: totals.callsBooked,
          callsCompleted: totals.callsCompleted,
        },
      });
    }
    await audit(c, 'district.homes-read', 'district', district.id, { from: period.from, to: period.to });
    return c.json(
      {
        district: { id: district.id, name: district.name },
        period: { from: period.from, to: period.to },
        currentHomeId: caller.kind === 'staff' ? caller.homeId : null,
        homes: reached,
      },
      200,
    );
  });
}

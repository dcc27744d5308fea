import { loadReportCounts } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';
import { CSV_RESPONSES, PeriodQuerySchema } from './report-schemas.ts';
import { csvResponse, ledgerFileDates, loadReportHome } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/monthly/csv',
  tags: ['reports'],
  summary: 'The monthly summary as CSV (audited)',
  request: { query: PeriodQuerySchema },
  responses: CSV_RESPONSES,
});

/** `GET /api/reports/monthly/csv` (teacher): audited as `report.monthly-export`. */
export function registerGetMonthlySummaryCsv(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const counts = await loadReportCounts(db, home.id, home.timeZone, period, { kind: 'home' });
    await audit(c, 'report.monthly-export', 'home', home.id, { format: 'csv', from: period.from, to: period.to });
    const row = (label: string, m: (typeof counts.months)[number] | typeof counts.totals) => [
      label,
      m.children,
      m.childrenReached,
      m.reachedPercent === null ? null : `${m.reachedPercent}%`,
      m.callsBooked,
      m.callsCompleted,
      m.minutes,
      m.parentNoShows,
      m.childNoShows,
    ];
    return csvResponse(
      c,
      { ascii: `monthly-${period.from}-${period.to}.csv`, chinese: `月度统计-${ledgerFileDates(period, '')}.csv` },
      ['月份', '儿童人数', '通过话的儿童', '通话覆盖率', '预约通话', '完成通话', '通话分钟', '家长未接通', '孩子未到'],
      [...counts.months.map((m) => row(m.month, m)), row('合计', counts.totals)],
    );
  });
}

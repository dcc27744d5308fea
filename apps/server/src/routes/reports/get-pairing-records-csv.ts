import { listPairingRecords, type PairingRecordEntry } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';
import { CSV_RESPONSES, PeriodQuerySchema } from './report-schemas.ts';
import { childName, csvResponse, LEDGER_BATCH, ledgerFileDates, loadReportHome } from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/pairings/csv',
  tags: ['reports'],
  summary: "The whole period's pairing records as CSV, one row per diary entry (audited)",
  request: { query: PeriodQuerySchema },
  responses: CSV_RESPONSES,
});

/** `GET /api/reports/pairings/csv` (teacher): audited as `report.pairings-export`. */
export function registerGetPairingRecordsCsv(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const entries: PairingRecordEntry[] = [];
    for (let offset = 0; ; offset += LEDGER_BATCH) {
      const page = await listPairingRecords(db, home.id, home.timeZone, period, { limit: LEDGER_BATCH, offset });
      entries.push(...page.items);
      if (page.items.length < LEDGER_BATCH) break;
    }
    await audit(c, 'report.pairings-export', 'home', home.id, {
      format: 'csv',
      from: period.from,
      to: period.to,
      pairings: entries.length,
    });
    const rows = entries.flatMap((entry) => {
      const pairing = [entry.staffName, childName(entry), entry.className, entry.pairedOn];
      if (entry.diary.length === 0) return [[...pairing, null, null, null]];
      return entry.diary.map((note) => [...pairing, note.date, note.text, note.mood]);
    });
    return csvResponse(
      c,
      { ascii: `pairings-${period.from}-${period.to}.csv`, chinese: `结对帮扶记录-${ledgerFileDates(period, '')}.csv` },
      ['结对老师', '孩子', '班级', '结对日期', '日记日期', '成长日记', '心情（1-5）'],
      rows,
    );
  });
}

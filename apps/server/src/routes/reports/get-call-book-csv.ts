import { type CallBookAfter, type CallBookEntry, listCallBookEntries } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';
import { CSV_RESPONSES, PeriodQuerySchema } from './report-schemas.ts';
import {
  childName,
  csvResponse,
  LEDGER_BATCH,
  ledgerFileDates,
  ledgerOutcomeWord,
  ledgerRelationWord,
  loadReportHome,
} from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/call-book/csv',
  tags: ['reports'],
  summary: "The whole period's call record book as CSV (audited)",
  request: { query: PeriodQuerySchema },
  responses: CSV_RESPONSES,
});

/** `GET /api/reports/call-book/csv` (teacher): the whole period, audited as `report.call-book-export`. */
export function registerGetCallBookCsv(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const entries: CallBookEntry[] = [];
    let after: CallBookAfter | null = null;
    for (;;) {
      const page = await listCallBookEntries(db, home.id, home.timeZone, period, {
        limit: LEDGER_BATCH,
        after,
        withTotal: false,
      });
      entries.push(...page.items);
      const last = page.items.at(-1);
      if (!last || page.items.length < LEDGER_BATCH) break;
      after = last;
    }
    await audit(c, 'report.call-book-export', 'home', home.id, {
      format: 'csv',
      from: period.from,
      to: period.to,
      calls: entries.length,
    });
    const rows = entries.map((entry, index) => [
      index + 1,
      entry.date,
      entry.time,
      entry.children.map(childName).join('、'),
      entry.children.map((child) => child.className ?? '').join('、'),
      entry.contacts.map((contact) => `${contact.name}（${ledgerRelationWord(contact.relation)}）`).join('、'),
      Math.round(entry.seconds / 60),
      ledgerOutcomeWord(entry.outcome),
      entry.children.map((child) => (child.mood === null ? '' : String(child.mood))).join('、'),
    ]);
    return csvResponse(
      c,
      {
        ascii: `call-book-${period.from}-${period.to}.csv`,
        chinese: `亲情通话记录簿-${ledgerFileDates(period, '')}.csv`,
      },
      ['序号', '日期', '时间', '孩子', '班级', '通话对象', '通话分钟', '结果', '心情（1-5）'],
      rows,
    );
  });
}

import { listRosterEntries, type RosterEntry } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';
import { requireWholePhonesAllowed, rosterAuditFields } from './list-roster.ts';
import { CSV_RESPONSES, RosterQuerySchema } from './report-schemas.ts';
import {
  childName,
  csvResponse,
  LEDGER_BATCH,
  ledgerCsvPhone,
  ledgerFileDates,
  ledgerRelationWord,
  loadReportHome,
} from './report-support.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/reports/roster/csv',
  tags: ['reports'],
  summary: 'The whole roster as CSV (UTF-8 with BOM); phones=whole for the admin only (audited)',
  request: { query: RosterQuerySchema },
  responses: CSV_RESPONSES,
});

/** `GET /api/reports/roster/csv` (teacher; whole numbers admin only): audited as `report.roster-export`. */
export function registerGetRosterCsv(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    requireWholePhonesAllowed(staff.role, query.phones);
    const { database, now } = c.get('services');
    const home = await loadReportHome(database.db, staff.homeId);
    const period = query.from && query.to ? { from: query.from, to: query.to } : null;
    const whole = query.phones === 'whole';
    const entries: RosterEntry[] = [];
    for (let offset = 0; ; offset += LEDGER_BATCH) {
      const page = await listRosterEntries(database.db, home.id, home.timeZone, period, {
        limit: LEDGER_BATCH,
        offset,
      });
      entries.push(...page.items);
      if (page.items.length < LEDGER_BATCH) break;
    }
    await audit(c, 'report.roster-export', 'home', home.id, {
      format: 'csv',
      fields: rosterAuditFields(whole),
      children: entries.length,
    });
    const rows = entries.flatMap((entry, index) => {
      const child = [index + 1, childName(entry), entry.className, entry.householdName];
      if (entry.contacts.length === 0) return [[...child, null, null, null, null]];
      return entry.contacts.map((contact) => [
        ...child,
        contact.name,
        ledgerRelationWord(contact.relation),
        contact.city,
        ledgerCsvPhone(contact.phone, whole),
      ]);
    });
    const day = now().toISOString().slice(0, 10);
    return csvResponse(
      c,
      { ascii: `roster-${day}.csv`, chinese: `留守儿童花名册-${ledgerFileDates(period, day)}.csv` },
      ['序号', '姓名', '班级', '家庭', '家长姓名', '关系', '所在城市', '电话'],
      rows,
    );
  });
}

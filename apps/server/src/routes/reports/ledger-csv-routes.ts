import {
  type CallBookAfter,
  type CallBookEntry,
  listCallBookEntries,
  listPairingRecords,
  listRosterEntries,
  loadReportCounts,
  type PairingRecordEntry,
  type RosterEntry,
} from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { requireWholePhonesAllowed } from './list-roster.ts';
import { CSV_CONTENT, CSV_HEADERS, PeriodQuerySchema, RosterQuerySchema } from './report-schemas.ts';
import {
  childName,
  csvResponse,
  ledgerPhone,
  loadReportHome,
  OUTCOME_WORDS,
  RELATION_WORDS,
} from './report-support.ts';

/** Rows read from the database at a time while a whole ledger is written. */
const CSV_BATCH = 1000;

const csvResponses = {
  200: { description: 'The whole ledger as CSV', headers: CSV_HEADERS, content: CSV_CONTENT },
  ...errorResponses(400, 401, 403),
};

export const rosterCsvRoute = createRoute({
  method: 'get',
  path: '/api/reports/roster/csv',
  tags: ['reports'],
  summary: 'The whole roster as CSV (UTF-8 with BOM); phones=whole for the admin only (audited)',
  request: { query: RosterQuerySchema },
  responses: csvResponses,
});

export const callBookCsvRoute = createRoute({
  method: 'get',
  path: '/api/reports/call-book/csv',
  tags: ['reports'],
  summary: "The whole period's call record book as CSV (audited)",
  request: { query: PeriodQuerySchema },
  responses: csvResponses,
});

export const pairingsCsvRoute = createRoute({
  method: 'get',
  path: '/api/reports/pairings/csv',
  tags: ['reports'],
  summary: "The whole period's pairing records as CSV, one row per diary entry (audited)",
  request: { query: PeriodQuerySchema },
  responses: csvResponses,
});

export const monthlyCsvRoute = createRoute({
  method: 'get',
  path: '/api/reports/monthly/csv',
  tags: ['reports'],
  summary: 'The monthly summary as CSV (audited)',
  request: { query: PeriodQuerySchema },
  responses: csvResponses,
});

function periodWords(period: { from: string; to: string } | null, today: string): string {
  return period ? `${period.from}至${period.to}` : today;
}

/** The four ledgers as CSV files: each reads every row of the ledger and is audited as an export. */
export function registerLedgerCsvRoutes(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', rosterCsvRoute, async (c, staff) => {
    const query = c.req.valid('query');
    requireWholePhonesAllowed(staff.role, query.phones);
    const { database, now } = c.get('services');
    const home = await loadReportHome(database.db, staff.homeId);
    const period = query.from && query.to ? { from: query.from, to: query.to } : null;
    const whole = query.phones === 'whole';
    const entries: RosterEntry[] = [];
    for (let offset = 0; ; offset += CSV_BATCH) {
      const page = await listRosterEntries(database.db, home.id, home.timeZone, period, { limit: CSV_BATCH, offset });
      entries.push(...page.items);
      if (page.items.length < CSV_BATCH) break;
    }
    await audit(c, 'report.roster-export', 'home', home.id, {
      format: 'csv',
      fields: [
        'familyName',
        'givenName',
        'className',
        'household',
        'contact.name',
        'contact.relation',
        'contact.city',
        whole ? 'contact.phone' : 'contact.phone(masked)',
      ],
      children: entries.length,
    });
    const rows = entries.flatMap((entry, index) => {
      const child = [index + 1, childName(entry), entry.className, entry.householdName];
      if (entry.contacts.length === 0) return [[...child, null, null, null, null]];
      return entry.contacts.map((contact) => [
        ...child,
        contact.name,
        RELATION_WORDS[contact.relation] ?? contact.relation,
        contact.city,
        ledgerPhone(contact.phone, whole),
      ]);
    });
    const day = now().toISOString().slice(0, 10);
    return csvResponse(
      c,
      { ascii: `roster-${day}.csv`, chinese: `留守儿童花名册-${periodWords(period, day)}.csv` },
      ['序号', '姓名', '班级', '家庭', '家长姓名', '关系', '所在城市', '电话'],
      rows,
    );
  });

  addRoute(app, 'teacher', callBookCsvRoute, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const entries: CallBookEntry[] = [];
    let after: CallBookAfter | null = null;
    for (;;) {
      const page = await listCallBookEntries(db, home.id, home.timeZone, period, {
        limit: CSV_BATCH,
        after,
        withTotal: false,
      });
      entries.push(...page.items);
      const last = page.items.at(-1);
      if (!last || page.items.length < CSV_BATCH) break;
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
      entry.contacts.map((contact) => `${contact.name}（${RELATION_WORDS[contact.relation] ?? ''}）`).join('、'),
      Math.round(entry.seconds / 60),
      OUTCOME_WORDS[entry.outcome] ?? entry.outcome,
      entry.children.map((child) => (child.mood === null ? '' : String(child.mood))).join('、'),
    ]);
    return csvResponse(
      c,
      { ascii: `call-book-${period.from}-${period.to}.csv`, chinese: `亲情通话记录簿-${periodWords(period, '')}.csv` },
      ['序号', '日期', '时间', '孩子', '班级', '通话对象', '通话分钟', '结果', '心情（1-5）'],
      rows,
    );
  });

  addRoute(app, 'teacher', pairingsCsvRoute, async (c, staff) => {
    const query = c.req.valid('query');
    const db = c.get('services').database.db;
    const home = await loadReportHome(db, staff.homeId);
    const period = { from: query.from, to: query.to };
    const entries: PairingRecordEntry[] = [];
    for (let offset = 0; ; offset += CSV_BATCH) {
      const page = await listPairingRecords(db, home.id, home.timeZone, period, { limit: CSV_BATCH, offset });
      entries.push(...page.items);
      if (page.items.length < CSV_BATCH) break;
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
      { ascii: `pairings-${period.from}-${period.to}.csv`, chinese: `结对帮扶记录-${periodWords(period, '')}.csv` },
      ['结对老师', '孩子', '班级', '结对日期', '日记日期', '成长日记', '心情（1-5）'],
      rows,
    );
  });

  addRoute(app, 'teacher', monthlyCsvRoute, async (c, staff) => {
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
      { ascii: `monthly-${period.from}-${period.to}.csv`, chinese: `月度统计-${periodWords(period, '')}.csv` },
      ['月份', '儿童人数', '通过话的儿童', '通话覆盖率', '预约通话', '完成通话', '通话分钟', '家长未接通', '孩子未到'],
      [...counts.months.map((m) => row(m.month, m)), row('合计', counts.totals)],
    );
  });
}

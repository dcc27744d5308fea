import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerGetCallBookCsv } from './get-call-book-csv.ts';
import { registerGetMonthlySummary } from './get-monthly-summary.ts';
import { registerGetMonthlySummaryCsv } from './get-monthly-summary-csv.ts';
import { registerGetPairingRecordsCsv } from './get-pairing-records-csv.ts';
import { registerGetReportSummary } from './get-report-summary.ts';
import { registerGetRosterCsv } from './get-roster-csv.ts';
import { registerListCallBook } from './list-call-book.ts';
import { registerListPairingRecords } from './list-pairing-records.ts';
import { registerListRoster } from './list-roster.ts';

/** Reports (统计报表) and the ledgers (台账) the Home is evaluated on: counted in SQL, paged, audited. */
export function registerReportsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetReportSummary(app);
  registerListRoster(app);
  registerListCallBook(app);
  registerListPairingRecords(app);
  registerGetMonthlySummary(app);
  registerGetRosterCsv(app);
  registerGetCallBookCsv(app);
  registerGetPairingRecordsCsv(app);
  registerGetMonthlySummaryCsv(app);
}

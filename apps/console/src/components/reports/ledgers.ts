import type { MessageKey } from '@affection/ui';
import type { ReportPeriod } from './report-period.ts';

/** The four ledgers (台账) a Home is inspected on. */
export const LEDGERS = ['roster', 'call-book', 'pairings', 'monthly'] as const;

/** One of {@link LEDGERS}. */
export type LedgerKind = (typeof LEDGERS)[number];

/** Whether a path segment names a ledger. */
export function isLedgerKind(value: string | undefined): value is LedgerKind {
  return (LEDGERS as readonly string[]).includes(value ?? '');
}

/** The ledger's title (`亲情通话记录簿`…). */
export function ledgerTitleKey(kind: LedgerKind): MessageKey {
  return `console.reports.ledger.${kind}` as MessageKey;
}

/** What the ledger lists, in one line. */
export function ledgerAboutKey(kind: LedgerKind): MessageKey {
  return `console.reports.ledger.${kind}-about` as MessageKey;
}

/** Where the console prints a ledger: `#/reports/print/call-book?period=2026-11` (`phones=whole`: the admin's choice). */
export function printHash(kind: LedgerKind, period: ReportPeriod, wholePhones = false): string {
  const query = new URLSearchParams({ period: period.code });
  if (kind === 'roster' && wholePhones) query.set('phones', 'whole');
  return `#/reports/print/${kind}?${query.toString()}`;
}

/** The server's CSV of a ledger over a period (a plain link: the browser downloads it with the session cookie). */
export function csvHref(kind: LedgerKind, period: ReportPeriod): string {
  const query = new URLSearchParams({ from: period.from, to: period.to });
  return `/api/reports/${kind}/csv?${query.toString()}`;
}

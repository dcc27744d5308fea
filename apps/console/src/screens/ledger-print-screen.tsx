import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import {
  type CallBookRow,
  CallBookTable,
  type MonthlySummary,
  MonthlyTable,
  type PairingRow,
  PairingsTable,
  type RosterRow,
  RosterTable,
} from '../components/reports/ledger-tables.tsx';
import { isLedgerKind, type LedgerKind, ledgerTitleKey } from '../components/reports/ledgers.ts';
import { dayInZone, periodOf } from '../components/reports/report-period.ts';
import { dayLabel, periodText } from '../components/reports/report-words.ts';
import '../components/reports/ledger-print.css';
import type { ConsoleApi } from '../shell/console-api.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** Rows a request: the largest page the server gives, so a 1,000-child roster takes two requests. */
const PAGE = 500;

type Home = { id: string; name: string; timeZone: string };

/** What the print view holds once every page is read. */
type Loaded =
  | { kind: 'roster'; home: Home; rows: RosterRow[] }
  | { kind: 'call-book'; home: Home; rows: CallBookRow[] }
  | { kind: 'pairings'; home: Home; rows: PairingRow[] }
  | { kind: 'monthly'; home: Home; summary: MonthlySummary };

/** Reads a paged ledger to its end, telling how many rows are in so far. */
async function readAll<Row>(
  page: (cursor: string | undefined) => Promise<{ home: Home; items: Row[]; nextCursor: string | null }>,
  onProgress: (count: number) => void,
): Promise<{ home: Home; rows: Row[] }> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  let home: Home | null = null;
  do {
    const answer = await page(cursor);
    home = answer.home;
    rows.push(...answer.items);
    onProgress(rows.length);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor);
  return { home, rows };
}

async function loadLedger(
  api: ConsoleApi,
  kind: LedgerKind,
  from: string,
  to: string,
  wholePhones: boolean,
  signal: AbortSignal,
  onProgress: (count: number) => void,
): Promise<Loaded> {
  switch (kind) {
    case 'roster': {
      const phones = wholePhones ? 'whole' : 'masked';
      const read = await readAll(
        (cursor) => api.call('GET /api/reports/roster', { query: { from, to, phones, limit: PAGE, cursor }, signal }),
        onProgress,
      );
      return { kind, ...read };
    }
    case 'call-book': {
      const read = await readAll(
        (cursor) => api.call('GET /api/reports/call-book', { query: { from, to, limit: PAGE, cursor }, signal }),
        onProgress,
      );
      return { kind, ...read };
    }
    case 'pairings': {
      const read = await readAll(
        (cursor) => api.call('GET /api/reports/pairings', { query: { from, to, limit: PAGE, cursor }, signal }),
        onProgress,
      );
      return { kind, ...read };
    }
    case 'monthly': {
      const summary = await api.call('GET /api/reports/monthly', { query: { from, to }, signal });
      return { kind, home: summary.home, summary };
    }
  }
}

/**
 * A ledger (台账) laid out for A4: the Home's name, the ledger's title and the period at the top, every row of the
 * period (all pages read first), the column headers repeated on each printed page, a line to sign; "打印" and
 * "返回报表" are not printed. `#/reports/print/<ledger>?period=2026-11` (`&phones=whole`: the admin's whole numbers
 * on the roster, which the server refuses a teacher and audits).
 */
export default function LedgerPrintScreen({ api, t, locale, route }: ScreenProps) {
  const kind = route.params.ledger;
  const period = periodOf(route.query.get('period'));
  const wholePhones = route.query.get('phones') === 'whole';
  const [read, setRead] = useState<{ key: string; ledger: Loaded } | null>(null);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!isLedgerKind(kind) || !period) return;
    const controller = new AbortController();
    setRead(null);
    setProgress(0);
    setError(null);
    loadLedger(api, kind, period.from, period.to, wholePhones, controller.signal, setProgress).then(
      (result) => {
        setRead({ key: `${kind}|${period.code}|${wholePhones}`, ledger: result });
        setError(null);
      },
      (failure: ApiError) => {
        if (!controller.signal.aborted) setError(failure);
      },
    );
    return () => controller.abort();
  }, [api, kind, period?.code, wholePhones]);

  const back = `#/reports${period ? `?period=${period.code}` : ''}`;
  if (!isLedgerKind(kind) || !period) {
    return (
      <EmptyState message={t('console.reports.print.unknown')}>
        <a href={back}>{t('console.reports.print.back')}</a>
      </EmptyState>
    );
  }
  // Only the ledger this address asks for (the screen stays mounted when another ledger is opened from here).
  const loaded = read?.key === `${kind}|${period.code}|${wholePhones}` ? read.ledger : null;
  const title = t(ledgerTitleKey(kind));
  const periodWords = periodText(period, t, locale);
  const rowCount = loaded ? (loaded.kind === 'monthly' ? loaded.summary.items.length : loaded.rows.length) : 0;
  const running = loaded ? `${loaded.home.name} · ${title} · ${periodWords}` : '';

  return (
    <div class="screen ledger-print" data-ledger={kind}>
      <div class="no-print ledger-print-actions">
        <a class="btn btn-link" href={back}>
          {t('console.reports.print.back')}
        </a>
        <Button kind="primary" disabled={!loaded} onClick={() => window.print()}>
          {t('console.reports.print')}
        </Button>
        <span class="muted">{t('console.reports.print.hint')}</span>
      </div>
      {error && (
        <div class="no-print">
          <Banner kind="warn">{problemText(error, t)}</Banner>
        </div>
      )}
      {!loaded && !error && (
        <p class="loading" role="status">
          {t('console.reports.print.loading', { count: progress })}
        </p>
      )}
      {loaded && (
        <article class="ledger-sheet">
          <header class="ledger-head">
            <p class="ledger-home">{loaded.home.name}</p>
            <h1>{title}</h1>
            <p>{t('console.reports.print.period', { period: periodWords })}</p>
            <p class="ledger-meta">
              <span>
                {t('console.reports.print.printed-on', {
                  date: dayLabel(dayInZone(new Date(), loaded.home.timeZone), locale),
                })}
              </span>
              <span>{t('console.reports.print.rows', { total: rowCount })}</span>
              {kind === 'roster' && (
                <span>
                  {wholePhones ? t('console.reports.print.phones-whole') : t('console.reports.print.phones-masked')}
                </span>
              )}
            </p>
          </header>
          {rowCount === 0 ? (
            <p class="ledger-empty">{t('console.reports.print.empty')}</p>
          ) : loaded.kind === 'roster' ? (
            <RosterTable t={t} locale={locale} rows={loaded.rows} running={running} />
          ) : loaded.kind === 'call-book' ? (
            <CallBookTable t={t} locale={locale} rows={loaded.rows} running={running} />
          ) : loaded.kind === 'pairings' ? (
            <PairingsTable t={t} locale={locale} rows={loaded.rows} running={running} />
          ) : (
            <MonthlyTable t={t} locale={locale} summary={loaded.summary} running={running} />
          )}
          <p class="ledger-sign">{t('console.reports.print.signature')}</p>
        </article>
      )}
    </div>
  );
}

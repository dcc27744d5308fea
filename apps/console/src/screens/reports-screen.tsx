import type { ApiResponse } from '@affection/server/contract';
import type { ApiError } from '@affection/ui';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { LedgerList } from '../components/reports/ledger-list.tsx';
import { PeriodPicker } from '../components/reports/period-picker.tsx';
import { type CallsBar, ReportCharts } from '../components/reports/report-charts.tsx';
import { dayInZone, monthCodeOf, periodOf, type ReportPeriod } from '../components/reports/report-period.ts';
import { ReportTotals } from '../components/reports/report-totals.tsx';
import { monthLabel, monthShort, periodText, weekLabel } from '../components/reports/report-words.ts';
import { type ReportScope, ScopePicker, scopeFrom, scopeQuery } from '../components/reports/scope-picker.tsx';
import { UnreachedList } from '../components/reports/unreached-list.tsx';
import '../components/reports/reports.css';
import { connection } from '../shell/connection.ts';
import { keepInAddress } from '../shell/router.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Summary = ApiResponse<'GET /api/reports/summary'>;
type Board = ApiResponse<'GET /api/pairings'>;

/** Children with no call shown at first: a few, so that the ledgers below them stay near. */
const UNREACHED_FIRST = 10;

/** Children with no call added by each "更多". */
const UNREACHED_MORE = 50;

function hashOf(period: ReportPeriod, scope: ReportScope): string {
  const query = new URLSearchParams({ period: period.code });
  if (scope.kind !== 'home') query.set('scope', scope.kind);
  if (scope.kind === 'teacher' && scope.staffId) query.set('staff', scope.staffId);
  if (scope.kind === 'child' && scope.childId) query.set('child', scope.childId);
  return `#/reports?${query.toString()}`;
}

/** Whether the scope names whom it needs (a teacher, a child) before the report can be asked for. */
function isScopeComplete(scope: ReportScope): boolean {
  return scope.kind === 'home' || (scope.kind === 'teacher' ? scope.staffId !== '' : scope.childId !== '');
}

/**
 * 报表台账: choose a period (this or last month, a month, this or last term) and whose calls to count (the whole
 * Home, a teacher's paired children, one child); see the totals as big numbers, two charts (calls per month, moods
 * after calls; uPlot is loaded only here), the four ledgers to print or download (the headmaster's month-end task,
 * so before the long list), and the children with no call in the period (the first 10, "更多" for the next 50;
 * each opening the child's record). Every number comes from the server's report.
 */
export default function ReportsScreen({ api, me, t, locale, route }: ScreenProps) {
  const [zone, setZone] = useState<string | null>(null);
  const [period, setPeriod] = useState<ReportPeriod | null>(() => periodOf(route.query.get('period')));
  const [scope, setScope] = useState<ReportScope>(() => scopeFrom(route.query, me));
  const [board, setBoard] = useState<Board | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [unreached, setUnreached] = useState<Summary['unreached']['items']>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      (failure: ApiError) => {
        setZone('Asia/Shanghai');
        setError(failure);
      },
    );
    api.call('GET /api/pairings').then(setBoard, () => undefined);
  }, [api]);

  // Another address of this screen (a link, a bookmark, "back"; the router reads each change of the address anew):
  // its period and scope replace the ones shown.
  useEffect(() => {
    const asked = periodOf(route.query.get('period'));
    if (asked) setPeriod((shown) => (shown?.code === asked.code ? shown : asked));
    const askedScope = scopeFrom(route.query, me);
    setScope((shown) =>
      shown.kind === askedScope.kind && shown.staffId === askedScope.staffId && shown.childId === askedScope.childId
        ? shown
        : askedScope,
    );
  }, [route.query]);

  const today = zone ? dayInZone(new Date(), zone) : null;
  // Without a period in the address: this month, in the Home's zone.
  useEffect(() => {
    if (!period && today) setPeriod(periodOf(monthCodeOf(today)));
  }, [period, today]);

  const complete = isScopeComplete(scope);
  useEffect(() => {
    if (!period) return;
    const target = hashOf(period, scope);
    keepInAddress('/reports', target);
    if (!complete) {
      setSummary(null);
      return;
    }
    const controller = new AbortController();
    const load = () => {
      setLoading(true);
      api
        .call('GET /api/reports/summary', {
          query: {
            from: period.from,
            to: period.to,
            ...scopeQuery(scope),
            limit: UNREACHED_FIRST,
            // A month's chart counts its weeks: the same answer holds them.
            includeWeeks: period.kind === 'month' ? 'true' : 'false',
          },
          signal: controller.signal,
        })
        .then(
          (answer) => {
            setSummary(answer);
            setUnreached(answer.unreached.items);
            setNextCursor(answer.unreached.nextCursor);
            setError(null);
          },
          (failure: ApiError) => {
            if (controller.signal.aborted) return;
            // Numbers of another period or scope must not stay under a refusal.
            setSummary(null);
            setError(failure);
          },
        )
        .finally(() => {
          if (!controller.signal.aborted) setLoading(false);
        });
    };
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, period?.code, scope.kind, scope.staffId, scope.childId, complete]);

  const more = async () => {
    if (!period || !nextCursor) return;
    setLoadingMore(true);
    try {
      const answer = await api.call('GET /api/reports/summary', {
        query: { from: period.from, to: period.to, ...scopeQuery(scope), limit: UNREACHED_MORE, cursor: nextCursor },
      });
      setUnreached((shown) => [...shown, ...answer.unreached.items]);
      setNextCursor(answer.unreached.nextCursor);
    } catch (failure) {
      setError(failure as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  const bars = useMemo<CallsBar[]>(() => {
    if (period?.kind === 'month') {
      return (summary?.weeks ?? []).map((week) => ({
        label: weekLabel(week, t, locale),
        longLabel: weekLabel(week, t, locale, true),
        booked: week.callsBooked,
        completed: week.callsCompleted,
      }));
    }
    return (summary?.months ?? []).map((m) => ({
      label: monthShort(m.month, locale),
      longLabel: monthLabel(m.month, locale),
      booked: m.callsBooked,
      completed: m.callsCompleted,
    }));
  }, [period?.kind, summary, t, locale]);

  return (
    <div class="screen reports-screen">
      <h1>{t('console.nav.reports')}</h1>
      <p class="screen-intro">{t('console.reports.intro')}</p>
      <section class="card reports-choice" aria-label={t('console.reports.period')}>
        {today && period && <PeriodPicker t={t} locale={locale} today={today} period={period} onPeriod={setPeriod} />}
        <ScopePicker t={t} me={me} board={board} scope={scope} onScope={setScope} />
      </section>
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {period && summary && complete && (
        <>
          <p class="reports-showing" aria-live="polite">
            {t('console.reports.showing', {
              scope:
                summary.scope.childName ??
                (summary.scope.staffName
                  ? t('console.reports.showing-teacher', { name: summary.scope.staffName })
                  : t('console.reports.scope.home')),
              period: periodText(period, t, locale),
            })}
            {loading && <span class="muted"> {t('console.reports.loading')}</span>}
          </p>
          <ReportTotals t={t} locale={locale} totals={summary.totals} />
          <ReportCharts t={t} locale={locale} calls={bars} isWeekly={period.kind === 'month'} moods={summary.moods} />
        </>
      )}
      {!summary && complete && loading && (
        <p class="loading" role="status">
          {t('console.reports.loading')}
        </p>
      )}
      {period && <LedgerList t={t} locale={locale} me={me} period={period} />}
      {period && summary && complete && (
        <UnreachedList
          t={t}
          locale={locale}
          total={summary.unreached.total}
          items={unreached}
          hasMore={nextCursor !== null}
          loadingMore={loadingMore}
          onMore={more}
        />
      )}
    </div>
  );
}

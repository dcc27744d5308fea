import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { count } from './report-words.ts';

type Totals = ApiResponse<'GET /api/reports/summary'>['totals'];

/** Options of {@link ReportTotals}. */
export interface ReportTotalsProps {
  t: Translate;
  locale: Locale;
  totals: Totals;
}

/** One big number with what it counts above it and, when useful, a plain line under it. */
function Total({ label, value, detail, name }: { label: string; value: string; detail?: string; name: string }) {
  return (
    <div class="report-total" data-total={name}>
      <dt>{label}</dt>
      <dd>
        <span class="report-total-value">{value}</span>
        {detail && <span class="report-total-detail">{detail}</span>}
      </dd>
    </div>
  );
}

/**
 * The period's totals as big plain numbers: calls booked, made, missed (parent / child), minutes together,
 * children who talked with family (of all, with the share), and the average weeks between a child's calls.
 */
export function ReportTotals({ t, locale, totals }: ReportTotalsProps) {
  const noShows = totals.parentNoShows + totals.childNoShows;
  return (
    <section class="card" aria-labelledby="report-totals">
      <h2 id="report-totals">{t('console.reports.totals')}</h2>
      <dl class="report-totals">
        <Total name="booked" label={t('console.reports.total.booked')} value={count(totals.callsBooked, locale)} />
        <Total
          name="completed"
          label={t('console.reports.total.completed')}
          value={count(totals.callsCompleted, locale)}
        />
        <Total
          name="no-shows"
          label={t('console.reports.total.no-shows')}
          value={count(noShows, locale)}
          detail={t('console.reports.total.no-shows-detail', {
            parent: totals.parentNoShows,
            child: totals.childNoShows,
          })}
        />
        <Total name="minutes" label={t('console.reports.total.minutes')} value={count(totals.minutes, locale)} />
        <Total
          name="reached"
          label={t('console.reports.total.reached')}
          value={count(totals.childrenReached, locale)}
          detail={
            totals.reachedPercent === null
              ? t('console.reports.total.reached-of', { children: count(totals.children, locale) })
              : t('console.reports.total.reached-detail', {
                  children: count(totals.children, locale),
                  percent: totals.reachedPercent.toLocaleString(locale),
                })
          }
        />
        <Total
          name="gap"
          label={t('console.reports.total.gap')}
          value={
            totals.averageWeeksBetweenCalls === null
              ? '—'
              : t('console.reports.total.gap-value', { weeks: totals.averageWeeksBetweenCalls.toLocaleString(locale) })
          }
          {...(totals.averageWeeksBetweenCalls === null ? { detail: t('console.reports.total.gap-none') } : {})}
        />
      </dl>
    </section>
  );
}

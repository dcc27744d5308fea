import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { ReportChart } from './report-chart.tsx';
import { moodWord } from './report-words.ts';

type Summary = ApiResponse<'GET /api/reports/summary'>;

/** One bar group of the calls chart: a month of a term, or a week of a month. */
export interface CallsBar {
  /** `11月`, `11月2–8日`. */
  label: string;
  /** `2026年11月`, `11月2–8日`: the group in the chart's summary sentence. */
  longLabel: string;
  booked: number;
  completed: number;
}

/** Options of {@link ReportCharts}. */
export interface ReportChartsProps {
  t: Translate;
  locale: Locale;
  /** The calls chart's groups, in order. */
  calls: readonly CallsBar[];
  /** Whether {@link ReportChartsProps.calls} are weeks (a month's report) rather than months (a term's). */
  isWeekly: boolean;
  moods: Summary['moods'];
}

/** The colours of the five mood faces, as the kiosk draws them (sad → happy). */
const MOOD_COLOURS = ['#D32F2F', '#F57C00', '#FBC02D', '#7CB342', '#2E7D32'] as const;

/**
 * Calls booked and made per month (a term) or per week (a month), and the moods after calls; side by side at
 * 1366 px, one above the other at 1024.
 */
export function ReportCharts({ t, calls, isWeekly, moods }: ReportChartsProps) {
  const booked = calls.reduce((sum, bar) => sum + bar.booked, 0);
  const completed = calls.reduce((sum, bar) => sum + bar.completed, 0);
  const moodCounts = [1, 2, 3, 4, 5].map((mood) => moods.find((m) => m.mood === mood)?.count ?? 0);
  const moodTotal = moodCounts.reduce((sum, n) => sum + n, 0);
  const top = moodCounts.indexOf(Math.max(...moodCounts)) + 1;
  const first = calls[0];
  const last = calls[calls.length - 1];
  const callsTitle = isWeekly ? t('console.reports.chart.calls-week') : t('console.reports.chart.calls-term');
  return (
    <section class="report-charts" aria-label={callsTitle}>
      <div class="card">
        <ReportChart
          title={callsTitle}
          categoryHeader={isWeekly ? t('console.reports.chart.week') : t('console.reports.chart.month')}
          categories={calls.map((bar) => bar.label)}
          series={[
            { label: t('console.reports.chart.booked'), values: calls.map((bar) => bar.booked), colour: '#90b8e0' },
            {
              label: t('console.reports.chart.completed'),
              values: calls.map((bar) => bar.completed),
              colour: '#0b5cab',
            },
          ]}
          summary={
            first && last
              ? t('console.reports.chart.calls-summary', {
                  first: first.longLabel,
                  last: last.longLabel,
                  booked,
                  completed,
                })
              : ''
          }
          loadingText={t('console.reports.chart.loading')}
        />
      </div>
      <div class="card">
        <ReportChart
          title={t('console.reports.chart.moods-title')}
          categoryHeader={t('console.reports.chart.mood')}
          categories={moodCounts.map((_, i) => moodWord(t, i + 1))}
          series={[
            {
              label: t('console.reports.chart.times'),
              values: moodCounts,
              colour: MOOD_COLOURS[3],
              barColours: MOOD_COLOURS,
            },
          ]}
          summary={
            moodTotal === 0
              ? t('console.reports.chart.moods-none')
              : t('console.reports.chart.moods-summary', { count: moodTotal, top: moodWord(t, top) })
          }
          loadingText={t('console.reports.chart.loading')}
        />
      </div>
    </section>
  );
}

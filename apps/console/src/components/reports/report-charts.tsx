import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { ReportChart } from './report-chart.tsx';
import { monthLabel, monthShort, moodWord } from './report-words.ts';

type Summary = ApiResponse<'GET /api/reports/summary'>;

/** Options of {@link ReportCharts}. */
export interface ReportChartsProps {
  t: Translate;
  locale: Locale;
  /** The months to chart (a term's months, or a month with the five before it). */
  months: Summary['months'];
  /** Whether {@link ReportChartsProps.months} is the trend up to a chosen month. */
  isTrend: boolean;
  moods: Summary['moods'];
}

/** The colours of the five mood faces, as the kiosk draws them (sad → happy). */
const MOOD_COLOURS = ['#D32F2F', '#F57C00', '#FBC02D', '#7CB342', '#2E7D32'] as const;

/** Calls per month (booked and made) and the moods after calls, side by side at 1366 px, one above the other at 1024. */
export function ReportCharts({ t, locale, months, isTrend, moods }: ReportChartsProps) {
  const booked = months.reduce((sum, m) => sum + m.callsBooked, 0);
  const completed = months.reduce((sum, m) => sum + m.callsCompleted, 0);
  const moodCounts = [1, 2, 3, 4, 5].map((mood) => moods.find((m) => m.mood === mood)?.count ?? 0);
  const moodTotal = moodCounts.reduce((sum, n) => sum + n, 0);
  const top = moodCounts.indexOf(Math.max(...moodCounts)) + 1;
  const first = months[0];
  const last = months[months.length - 1];
  return (
    <section class="report-charts" aria-label={t('console.reports.chart.calls-term')}>
      <div class="card">
        <ReportChart
          title={isTrend ? t('console.reports.chart.calls-recent') : t('console.reports.chart.calls-term')}
          categoryHeader={t('console.reports.chart.month')}
          categories={months.map((m) => monthShort(m.month, locale))}
          series={[
            { label: t('console.reports.chart.booked'), values: months.map((m) => m.callsBooked), colour: '#90b8e0' },
            {
              label: t('console.reports.chart.completed'),
              values: months.map((m) => m.callsCompleted),
              colour: '#0b5cab',
            },
          ]}
          summary={
            first && last
              ? t('console.reports.chart.calls-summary', {
                  first: monthLabel(first.month, locale),
                  last: monthLabel(last.month, locale),
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

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';

/** One series of bars: its name (legend and the table's header), a value per category and its colour. */
export interface ChartSeries {
  label: string;
  values: readonly number[];
  colour: string;
  /** A colour per bar instead (the mood faces' colours). */
  barColours?: readonly string[];
}

/** Options of {@link ReportChart}. */
export interface ReportChartProps {
  /** The chart's title, shown above it and naming the figure. */
  title: string;
  /** One label per bar group (months, weeks, mood words). */
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** One sentence saying what the chart shows, for screen readers (the table below says it in full). */
  summary: string;
  /** The header of the table's first column (月份, 心情…). */
  categoryHeader: string;
  /** Shown while uPlot loads, and instead of the chart if it cannot. */
  loadingText: string;
  /** Extra content under the chart (a note). */
  children?: ComponentChildren;
  /** Height of the plot in CSS pixels; default 220. */
  height?: number;
}

/** uPlot is loaded only when a chart is first shown (the reports page), never with the console's first screen. */
let library: Promise<typeof uPlot> | null = null;
function loadUplot(): Promise<typeof uPlot> {
  library ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([module]) => module.default);
  return library;
}

/**
 * A bar chart drawn with uPlot on a canvas (grouped bars, one group per category), with a figure caption and a
 * table of the same numbers for screen readers (and for anyone who prefers numbers). The canvas itself is hidden
 * from assistive technology: the table is its text.
 */
export function ReportChart({
  title,
  categories,
  series,
  summary,
  categoryHeader,
  loadingText,
  children,
  height = 220,
}: ReportChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>('loading');

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let isGone = false;
    loadUplot().then(
      (UPlot) => {
        if (isGone) return;
        const count = series.length;
        const width = Math.max(240, target.clientWidth);
        const xs = categories.map((_, i) => i);
        const groupShare = 0.7;
        const options: uPlot.Options = {
          width,
          height,
          legend: { show: true, live: false },
          cursor: { show: false },
          scales: {
            x: { time: false, range: [-0.5, Math.max(0.5, categories.length - 0.5)] },
            // Counts: from 0, at least up to 4 so that an empty period does not stretch to 100.
            y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
          },
          axes: [
            {
              values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (categories[v] ?? '') : '')),
              splits: () => xs,
              grid: { show: false },
              font: '14px system-ui, sans-serif',
            },
            {
              font: '14px system-ui, sans-serif',
              // Whole numbers only: calls and faces are counted, never halved.
              incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000],
              values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
            },
          ],
          series: [
            {},
            ...series.map((s, i) => ({
              label: s.label,
              stroke: s.colour,
              fill: s.colour,
              width: 0,
              points: { show: false },
              paths: UPlot.paths.bars?.({
                size: [groupShare / count, 80],
                // Bars of one group side by side: category k spans [k/n, (k+1)/n] of the plot's width (the x
                // range is -0.5 … n-0.5), its group the middle `groupShare` of that, each series one slice of it.
                disp: {
                  x0: {
                    unit: 2,
                    values: () =>
                      xs.map((k) => (k + 0.5 - groupShare / 2 + (i * groupShare) / count) / categories.length),
                  },
                  size: { unit: 2, values: () => xs.map(() => groupShare / count / categories.length) },
                  ...(s.barColours ? { fill: { unit: 3, values: () => [...(s.barColours ?? [])] } } : {}),
                },
              }),
            })),
          ],
        };
        plot = new UPlot(options, [xs, ...series.map((s) => [...s.values])], target);
        setState('drawn');
        observer = new ResizeObserver(() => {
          const next = Math.max(240, target.clientWidth);
          if (plot && Math.abs(next - plot.width) > 2) plot.setSize({ width: next, height });
        });
        observer.observe(target);
      },
      () => {
        if (!isGone) setState('failed');
      },
    );
    return () => {
      isGone = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [categories.join('|'), series.map((s) => `${s.label}:${s.values.join(',')}`).join('|'), height]);

  return (
    <figure class="report-chart">
      <figcaption class="report-chart-title">{title}</figcaption>
      <p class="reports-sr-only">{summary}</p>
      {state !== 'drawn' && <p class="muted no-print">{loadingText}</p>}
      <div ref={box} class="report-chart-plot" aria-hidden="true" />
      <table class="reports-sr-only report-chart-table">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryHeader}</th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((category, row) => (
            <tr key={category}>
              <th scope="row">{category}</th>
              {series.map((s) => (
                <td key={s.label}>{s.values[row] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {children}
    </figure>
  );
}

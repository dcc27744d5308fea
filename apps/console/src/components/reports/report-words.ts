import type { Locale, MessageKey, Translate } from '@affection/ui';
import type { ReportPeriod } from './report-period.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function formatOf(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    dayFormats.set(key, format);
  }
  return format;
}

function utcOf(day: string): Date {
  return new Date(`${day.length === 7 ? `${day}-01` : day}T00:00:00Z`);
}

/** `2026年9月1日` / `September 1, 2026`: a day `YYYY-MM-DD` in words. */
export function dayLabel(day: string, locale: Locale): string {
  return formatOf(locale, { year: 'numeric', month: 'long', day: 'numeric' }).format(utcOf(day));
}

/** `2026年11月` / `November 2026`: a month `YYYY-MM` in words. */
export function monthLabel(month: string, locale: Locale): string {
  return formatOf(locale, { year: 'numeric', month: 'long' }).format(utcOf(month));
}

/** `11月` / `Nov`: a month `YYYY-MM` short, for a chart's axis. */
export function monthShort(month: string, locale: Locale): string {
  return formatOf(locale, { month: 'short' }).format(utcOf(month));
}

/** `2026年11月`, `2026年秋季学期`: the period's name. */
export function periodName(period: ReportPeriod, t: Translate, locale: Locale): string {
  if (period.kind === 'month') return monthLabel(period.code, locale);
  const [year, term] = period.code.split('-');
  return t(term === 'autumn' ? 'console.reports.term.autumn' : 'console.reports.term.spring', { year: year ?? '' });
}

/** `2026年秋季学期（2026年9月1日 至 2027年1月31日）`: the period's name and its days. */
export function periodText(period: ReportPeriod, t: Translate, locale: Locale): string {
  const days = t('console.reports.period-days', {
    from: dayLabel(period.from, locale),
    to: dayLabel(period.to, locale),
  });
  return locale === 'zh-CN'
    ? `${periodName(period, t, locale)}（${days}）`
    : `${periodName(period, t, locale)} (${days})`;
}

/**
 * How a call ended, in the ledgers' words (`已通话`, `家长未接通`…; `还没结束` while it has not): the same catalog
 * words the server writes the call book's CSV with.
 */
export function outcomeWord(
  t: Translate,
  outcome: 'completed' | 'parent-no-show' | 'child-no-show' | 'failed' | 'pending',
): string {
  return t(`console.reports.outcome.${outcome}`);
}

/** `很开心`: the words of a mood face 1–5 (empty for none). */
export function moodWord(t: Translate, mood: number | null): string {
  return mood === null ? '' : t(`console.record.mood-${mood}` as MessageKey);
}

/** `张小明`: a child's whole name. */
export function childName(child: { familyName: string; givenName: string }): string {
  return `${child.familyName}${child.givenName}`;
}

/** A number with the page's digit grouping (`1,234`). */
export function count(n: number, locale: Locale): string {
  return n.toLocaleString(locale);
}

/**
 * `2–8日` / `2–8` (`1日` for a week of one day): a week of a month for the calls chart's axis; with `withMonth`,
 * `11月2–8日` / `Nov 2–8`.
 */
export function weekLabel(week: { from: string; to: string }, t: Translate, locale: Locale, withMonth = false): string {
  const month = withMonth ? monthShort(week.from.slice(0, 7), locale) : '';
  const from = Number(week.from.slice(8));
  const to = Number(week.to.slice(8));
  const text =
    from === to
      ? t('console.reports.chart.day-label', { month, from })
      : t('console.reports.chart.week-label', { month, from, to });
  return text.trim();
}

import type { Locale, Translate } from '@affection/ui';
import { zoneName } from '../next-call-text.ts';

/** A span read in one zone, as the API gives it (`inContactZone`, `inHomeZone`). */
export interface ZonedSpan {
  timeZone: string;
  date: string;
  startTime: string;
  endTime: string;
}

/** ISO weekday (Monday = 1) of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Today's date (`YYYY-MM-DD`) in `zone` at the instant `at`. */
export function dateIn(zone: string, at: Date): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(at);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** "今天", "明天" or "12月9日 周三": the day of `date` as the parent reads it, `today` being theirs. */
export function dayLabel(date: string, today: string, t: Translate): string {
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const weekday = t(`family.weekday.${weekdayOf(date)}` as 'family.weekday.1');
  const [, month, day] = date.split('-').map(Number);
  const full = t('family.date', { month: month ?? '', day: day ?? '', weekday });
  if (days === 0) return `${t('family.day.today')} ${full}`;
  if (days === 1) return `${t('family.day.tomorrow')} ${full}`;
  return full;
}

/**
 * "12月9日 周三 19:40（中欧时间）" and, when the Home is in another zone, the Home's time beside it
 * ("北京时间 02:40"): the parent reads their own time first.
 */
export function callTimeText(
  own: ZonedSpan,
  home: ZonedSpan,
  start: Date,
  today: string,
  locale: Locale,
  t: Translate,
): { main: string; homeTime: string | null } {
  const main = t('family.book.when', {
    day: dayLabel(own.date, today, t),
    time: own.startTime,
    zone: zoneName(own.timeZone, locale, start, t, own.timeZone),
  });
  if (own.timeZone === home.timeZone) return { main, homeTime: null };
  const sameDay = own.date === home.date;
  return {
    main,
    homeTime: t('family.book.home-time', {
      zone: zoneName(home.timeZone, locale, start, t, home.timeZone),
      time: sameDay ? home.startTime : `${dayLabel(home.date, today, t)} ${home.startTime}`,
    }),
  };
}

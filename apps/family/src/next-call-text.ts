import type { Locale, Translate } from '@affection/ui';
import type { NextCall } from './family-api.ts';
import { joinNames } from './join-names.ts';

/** Zones people in China call Beijing time (北京时间). */
const BEIJING_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

/** The everyday name of a zone in the page's language: 北京时间, 中欧时间, Central European Time… */
export function zoneName(zone: string, locale: Locale, at: Date, t: Translate, fallback: string): string {
  if (BEIJING_ZONES.has(zone)) return t('family.zone.beijing');
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? fallback;
  } catch {
    return fallback;
  }
}

/** Today, tomorrow, the weekday, or (a week or more ahead) the date, as the contact reads the call's start. */
export function dayName(call: NextCall, t: Translate): string {
  const { daysFromToday, weekday, date } = call.startLocal;
  if (daysFromToday === 0) return t('family.day.today');
  if (daysFromToday === 1) return t('family.day.tomorrow');
  const weekdayName = t(`family.weekday.${weekday}` as 'family.weekday.1');
  if (daysFromToday < 7) return weekdayName;
  const [, month, day] = date.split('-').map(Number);
  return t('family.date', { month: month ?? '', day: day ?? '', weekday: weekdayName });
}

/**
 * "小明的下一次通话：周三 12:15（北京时间）": the children's names and the start in the contact's own zone.
 *
 * @example nextCallText(call, 'zh-CN', t, ['小明']) // '小明的下一次通话：今天 12:15（北京时间）'
 */
export function nextCallText(call: NextCall, locale: Locale, t: Translate, householdChildren: string[]): string {
  const names = call.childNames.length > 0 ? call.childNames : householdChildren;
  const start = call.startLocal;
  return t('family.next-call', {
    children: names.length > 0 ? joinNames(names, locale) : t('family.your-child'),
    day: dayName(call, t),
    time: start.time,
    zone: zoneName(start.timeZone, locale, new Date(call.start), t, start.zoneName),
  });
}

/** A wait such as "12分钟", "2小时5分钟" or "3天", rounded up to the minute. */
export function durationText(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 60) return t('family.duration.minutes', { minutes });
  if (minutes < 24 * 60) return t('family.duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  return t('family.duration.days', { days: Math.floor(minutes / (24 * 60)) });
}

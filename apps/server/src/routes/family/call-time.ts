import type { Contact } from '@affection/core';
import { wallClockOf } from '@affection/core';
import { z } from '@hono/zod-openapi';

/** Zones that read as Beijing time (北京时间), as people in China say it. */
const BEIJING_ZONES = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

const WEEKDAYS: Record<Contact['language'], readonly string[]> = {
  'zh-CN': ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** A call's time as its contact reads it, in their own zone. */
export const LocalCallTimeSchema = z
  .object({
    timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
    zoneName: z.string().openapi({ example: '北京时间', description: "In the contact's language" }),
    date: z.string().openapi({ example: '2026-09-09' }),
    weekday: z.number().int().openapi({ example: 3, description: 'ISO weekday, Monday = 1' }),
    time: z.string().openapi({ example: '12:15' }),
    endTime: z.string().openapi({ example: '12:30' }),
    daysFromToday: z.number().int().openapi({ example: 0, description: "0 = today in the contact's zone" }),
    text: z
      .string()
      .openapi({ example: '周三 12:15（北京时间）', description: "Ready to show, in the contact's language" }),
  })
  .openapi('LocalCallTime');

/**
 * The zone's everyday name in a language: 北京时间 / Beijing time for China, otherwise the
 * runtime's generic long name (e.g. 中欧时间, Central European Time).
 */
export function zoneNameOf(zone: string, language: Contact['language'], at: Date): string {
  if (BEIJING_ZONES.has(zone)) return language === 'zh-CN' ? '北京时间' : 'Beijing time';
  const part = new Intl.DateTimeFormat(language, { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / 86_400_000);
}

/**
 * A call's start and end read in the contact's zone and language.
 *
 * @example localCallTime(start, end, { timeZone: 'Asia/Shanghai', language: 'zh-CN' }, now).text // '周三 12:15（北京时间）'
 */
export function localCallTime(
  start: Date,
  end: Date,
  contact: Pick<Contact, 'timeZone' | 'language'>,
  now: Date,
): z.infer<typeof LocalCallTimeSchema> {
  const zone = contact.timeZone;
  const language = contact.language;
  const from = wallClockOf(start, zone);
  const daysFromToday = daysBetween(wallClockOf(now, zone).date, from.date);
  const zoneName = zoneNameOf(zone, language, start);
  const weekday = WEEKDAYS[language][from.weekday - 1] ?? '';
  const [, month, day] = from.date.split('-').map(Number) as [number, number, number];
  const zh = language === 'zh-CN';
  const dayText =
    daysFromToday === 0
      ? zh
        ? '今天'
        : 'Today'
      : daysFromToday === 1
        ? zh
          ? '明天'
          : 'Tomorrow'
        : daysFromToday >= 7
          ? zh
            ? `${month}月${day}日 ${weekday}`
            : `${weekday} ${day}/${month}`
          : weekday;
  const text = zh ? `${dayText} ${from.time}（${zoneName}）` : `${dayText} ${from.time} (${zoneName})`;
  return {
    timeZone: zone,
    zoneName,
    date: from.date,
    weekday: from.weekday,
    time: from.time,
    endTime: wallClockOf(end, zone).time,
    daysFromToday,
    text,
  };
}

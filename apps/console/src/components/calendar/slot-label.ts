import type { Locale, Translate } from '@affection/ui';
import { formatInZone } from '../common/zoned-time.tsx';
import type { FreeSlot } from './calendar-types.ts';

/**
 * A free slot in words: the day and time in the Home's zone, and the parent's own time when they live in another
 * zone ("12月8日周二 17:10–17:25（家长那边 10:10）").
 */
export function slotLabel(slot: FreeSlot, t: Translate, locale: Locale): string {
  const day = formatInZone(slot.start, slot.inHomeZone.timeZone, locale, 'date');
  const text = `${day} ${slot.inHomeZone.startTime}–${slot.inHomeZone.endTime}`;
  return slot.inContactZone.timeZone === slot.inHomeZone.timeZone
    ? text
    : `${text} ${t('console.calendar.parent-time', { time: slot.inContactZone.startTime })}`;
}

import { addCalendarDays, isoWeekdayOf, wallClockOf, zoneOffsetMinutes } from '@affection/core';

/**
 * The calendar date (`YYYY-MM-DD`) an instant falls on in a zone.
 *
 * @example localDateOf(new Date('2026-11-17T23:30:00Z'), 'Asia/Shanghai') === '2026-11-18'
 */
export function localDateOf(instant: Date, zone: string): string {
  return wallClockOf(instant, zone).date;
}

/** A date `days` later (earlier when negative); dates have no zone. */
export const addDays = addCalendarDays;

export { isoWeekdayOf };

/**
 * The instant a date starts in a zone (its first moment: midnight, or the end of a gap when the clocks jump at
 * midnight).
 *
 * @example startOfLocalDay('2026-11-16', 'Asia/Shanghai') // 2026-11-15T16:00:00Z
 */
export function startOfLocalDay(date: string, zone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let guess = wall - zoneOffsetMinutes(wall, zone) * 60_000;
  // Once more at the guess: the offset may differ there (a change between the two instants).
  guess = wall - zoneOffsetMinutes(guess, zone) * 60_000;
  if (localDateOf(new Date(guess), zone) !== date) guess += 3_600_000;
  return new Date(guess);
}

/** The next Monday strictly after `date` (a Sunday gives the day after; a Monday gives a week later). */
export function nextMondayAfter(date: string): string {
  return addDays(date, 8 - isoWeekdayOf(date));
}

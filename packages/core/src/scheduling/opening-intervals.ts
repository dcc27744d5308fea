import { addLocalDays, eachLocalDay, localDayOf, parseClockTime, WallClock } from '../time/zoned-time.ts';
import { type Interval, mergeIntervals } from './interval.ts';
import type { HomeCalendar, SchedulingOpeningException, TimeRange } from './types.ts';

type OpeningHours = Pick<HomeCalendar, 'settings' | 'openingRules' | 'openingExceptions'>;

/**
 * The Home's opening intervals (UTC, merged where they touch) that overlap `[from, to)`, built from the weekly
 * rules and the dated exceptions in the Home's zone. Each interval is returned whole, not clipped to the range.
 * Wall-clock times are converted day by day, so a rule "Monday 16:30–18:00" stays 16:30–18:00 local across DST.
 * @example openingIntervals(home, new Date('2026-03-02T00:00:00Z'), new Date('2026-03-09T00:00:00Z'))
 */
export function openingIntervals(hours: OpeningHours, from: Date, to: Date): TimeRange[] {
  return openingIntervalsMs(hours, from.getTime(), to.getTime(), new WallClock()).map(
    (i): TimeRange => ({ start: new Date(i.start), end: new Date(i.end) }),
  );
}

/** {@link openingIntervals} in epoch milliseconds, sharing a {@link WallClock} with the caller. */
export function openingIntervalsMs(hours: OpeningHours, fromMs: number, toMs: number, clock: WallClock): Interval[] {
  const zone = hours.settings.timeZone;
  if (toMs <= fromMs) return [];
  const exceptionsByDate = new Map<string, SchedulingOpeningException[]>();
  for (const exception of hours.openingExceptions) {
    const list = exceptionsByDate.get(exception.date) ?? [];
    list.push(exception);
    exceptionsByDate.set(exception.date, list);
  }
  const intervals: Interval[] = [];
  // One day of margin each side: an interval ending on the first day can still reach into the range.
  const days = eachLocalDay(addLocalDays(localDayOf(fromMs, zone), -1), addLocalDays(localDayOf(toMs, zone), 1));
  for (const day of days) {
    const exceptions = exceptionsByDate.get(day.iso);
    const ranges = exceptions
      ? exceptions.flatMap((e) => (e.closed || !e.startTime || !e.endTime ? [] : [[e.startTime, e.endTime] as const]))
      : hours.openingRules.filter((r) => r.weekday === day.weekday).map((r) => [r.startTime, r.endTime] as const);
    for (const [startTime, endTime] of ranges) {
      const startMinutes = parseClockTime(startTime);
      const endMinutes = parseClockTime(endTime);
      if (endMinutes <= startMinutes) continue;
      intervals.push({
        start: clock.toUtcMs(zone, day, startMinutes),
        end: clock.toUtcMs(zone, day, endMinutes),
      });
    }
  }
  return mergeIntervals(intervals).filter((i) => i.start < toMs && i.end > fromMs);
}

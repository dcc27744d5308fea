import { addLocalDays, eachLocalDay, localDayOf, parseClockTime, WallClock } from '../time/zoned-time.ts';
import { type Interval, mergeIntervals } from './interval.ts';
import type { SchedulingAvailabilityWindow, SchedulingContact, TimeRange } from './types.ts';

/**
 * When a contact can take calls within `[from, to)`, as merged UTC intervals (returned whole, not clipped). Each
 * weekly window is read in the contact's own zone on each of its local days, so "Monday 10:00–11:00 in Madrid" is
 * 17:00–18:00 in Shanghai in winter and 16:00–17:00 in summer. A window whose end is not after its start runs into
 * the next day. Windows of other contacts are ignored.
 */
export function availabilityIntervals(
  contact: Pick<SchedulingContact, 'id' | 'timeZone'>,
  windows: readonly SchedulingAvailabilityWindow[],
  from: Date,
  to: Date,
): TimeRange[] {
  return availabilityIntervalsMs(contact, windows, from.getTime(), to.getTime(), new WallClock()).map(
    (i): TimeRange => ({ start: new Date(i.start), end: new Date(i.end) }),
  );
}

/** {@link availabilityIntervals} in epoch milliseconds, sharing a {@link WallClock} with the caller. */
export function availabilityIntervalsMs(
  contact: Pick<SchedulingContact, 'id' | 'timeZone'>,
  windows: readonly SchedulingAvailabilityWindow[],
  fromMs: number,
  toMs: number,
  clock: WallClock,
): Interval[] {
  const own = windows.filter((w) => w.contactId === contact.id);
  if (own.length === 0 || toMs <= fromMs) return [];
  const zone = contact.timeZone;
  const parsed = own.map((w) => ({
    weekday: w.weekday,
    start: parseClockTime(w.startTime),
    end: parseClockTime(w.endTime),
  }));
  const intervals: Interval[] = [];
  const days = eachLocalDay(addLocalDays(localDayOf(fromMs, zone), -1), addLocalDays(localDayOf(toMs, zone), 1));
  for (const day of days) {
    for (const w of parsed) {
      if (w.weekday !== day.weekday) continue;
      const start = clock.toUtcMs(zone, day, w.start);
      const end = w.end > w.start ? clock.toUtcMs(zone, day, w.end) : clock.toUtcMs(zone, addLocalDays(day, 1), w.end);
      intervals.push({ start, end });
    }
  }
  return mergeIntervals(intervals).filter((i) => i.start < toMs && i.end > fromMs);
}

import { DateTime } from 'luxon';
import type { HomeCalendar, SchedulingAvailabilityWindow } from './types.ts';

// Independent, slow reference for property tests: reads rules and windows straight through luxon, one local day at a
// time, without the engine's caching, merging or arithmetic fast path.

type Span = [number, number];

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function at(day: DateTime, minutes: number): number {
  const date = day.plus({ days: Math.floor(minutes / 1440) });
  const clock = minutes % 1440;
  const reading = DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(clock / 60), minute: clock % 60 },
    { zone: day.zone },
  );
  // A repeated time (autumn fall-back) is read with the later offset, as the engine reads it; luxon alone would pick
  // by the offset of the moment the test runs.
  return Math.max(...reading.getPossibleOffsets().map((dt) => dt.toMillis()));
}

function localDays(zone: string, fromMs: number, toMs: number): DateTime[] {
  const days: DateTime[] = [];
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 2 });
  const last = DateTime.fromMillis(toMs, { zone }).startOf('day').plus({ days: 2 });
  while (day <= last) {
    days.push(day);
    day = day.plus({ days: 1 });
  }
  return days;
}

/** Raw opening spans (one per rule or exception and day) around `[fromMs, toMs]`. */
export function oracleOpenSpans(home: HomeCalendar, fromMs: number, toMs: number): Span[] {
  const spans: Span[] = [];
  for (const day of localDays(home.settings.timeZone, fromMs, toMs)) {
    const date = day.toISODate();
    const exceptions = home.openingExceptions.filter((e) => e.date === date);
    const ranges = exceptions.length
      ? exceptions.filter((e) => !e.closed && e.startTime && e.endTime).map((e) => [e.startTime!, e.endTime!])
      : home.openingRules.filter((r) => r.weekday === day.weekday).map((r) => [r.startTime, r.endTime]);
    for (const [start, end] of ranges) {
      const s = toMinutes(start!);
      const e = toMinutes(end!);
      if (e > s) spans.push([at(day, s), at(day, e)]);
    }
  }
  return spans;
}

/** Raw availability spans of one contact around `[fromMs, toMs]`. */
export function oracleAvailableSpans(
  zone: string,
  windows: readonly SchedulingAvailabilityWindow[],
  fromMs: number,
  toMs: number,
): Span[] {
  const spans: Span[] = [];
  for (const day of localDays(zone, fromMs, toMs)) {
    for (const w of windows.filter((x) => x.weekday === day.weekday)) {
      const s = toMinutes(w.startTime);
      const e = toMinutes(w.endTime);
      spans.push([at(day, s), at(day, e > s ? e : e + 1440)]);
    }
  }
  return spans;
}

/** Whether every minute of `[start, end)` lies in one of the spans (all inputs are whole minutes). */
export function isEveryMinuteIn(spans: readonly Span[], start: number, end: number): boolean {
  for (let t = start; t < end; t += 60_000) {
    if (!spans.some(([s, e]) => s <= t && t + 60_000 <= e)) return false;
  }
  return true;
}

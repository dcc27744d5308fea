/** A wall-clock reading of an instant in some zone. */
export interface WallClockReading {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function partsOf(ms: number, zone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(ms)) parts[part.type] = part.value;
  return parts;
}

/**
 * The date, time and weekday an instant reads as in `zone`.
 * @example wallClockOf(new Date('2026-09-07T04:00:00Z'), 'Asia/Shanghai') // { date: '2026-09-07', time: '12:00', weekday: 1 }
 */
export function wallClockOf(instant: Date, zone: string): WallClockReading {
  const p = partsOf(instant.getTime(), zone);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
  };
}

/** Minutes `zone` is ahead of UTC at an instant. */
function offsetMinutes(ms: number, zone: string): number {
  const p = partsOf(ms, zone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/**
 * The instant a wall-clock date and time in `zone` stand for. A time skipped by a DST change moves forward by the
 * gap; a repeated one is read with the later offset.
 * @example instantAt('2026-09-07', '12:00', 'Asia/Shanghai') // 2026-09-07T04:00:00Z
 */
export function instantAt(date: string, time: string, zone: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  const first = naive - offsetMinutes(naive, zone) * 60_000;
  const second = naive - offsetMinutes(first, zone) * 60_000;
  // In a gap the later candidate is the time moved forward; in an overlap it is the later (winter) reading.
  return new Date(Math.max(first, second));
}

/** A calendar date `n` days after `date` ('YYYY-MM-DD'). */
export function addDays(date: string, n: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);
}

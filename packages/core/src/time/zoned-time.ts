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

/** Minutes `zone` is ahead of UTC at an instant (uncached: one `Intl` call). */
export function zoneOffsetMinutes(ms: number, zone: string): number {
  const p = partsOf(ms, zone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

const QUARTER_HOUR_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * Minutes `zone` is ahead of UTC at an instant, cached per zone and quarter hour (offsets only ever change on a
 * quarter hour), so that showing many slots in two zones costs a few `Intl` calls, not four per slot.
 */
function cachedOffsetMinutes(ms: number, zone: string): number {
  const key = `${zone} ${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size > 50_000) offsets.clear();
    offset = zoneOffsetMinutes(ms, zone);
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The date, time and weekday an instant reads as in `zone`.
 * @example wallClockOf(new Date('2026-09-07T04:00:00Z'), 'Asia/Shanghai') // { date: '2026-09-07', time: '12:00', weekday: 1 }
 */
export function wallClockOf(instant: Date, zone: string): WallClockReading {
  const local = new Date(instant.getTime() + cachedOffsetMinutes(instant.getTime(), zone) * 60_000);
  const iso = local.toISOString();
  const day = local.getUTCDay();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: day === 0 ? 7 : day };
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
  // The offsets a day before and after cover any change near the time: each gives a candidate instant.
  const before = naive - zoneOffsetMinutes(naive - 86_400_000, zone) * 60_000;
  const after = naive - zoneOffsetMinutes(naive + 86_400_000, zone) * 60_000;
  const valid = [before, after].filter(
    (candidate) => naive - zoneOffsetMinutes(candidate, zone) * 60_000 === candidate,
  );
  // A repeated time has two valid readings: the later (winter) one. A skipped one has none: the time moved forward.
  return new Date(valid.length > 0 ? Math.max(...valid) : before);
}

/** A calendar date `n` days after `date` ('YYYY-MM-DD'); negative `n` goes back. Dates have no zone. */
export function addCalendarDays(date: string, n: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date ('YYYY-MM-DD'): Monday = 1 … Sunday = 7. */
export function isoWeekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

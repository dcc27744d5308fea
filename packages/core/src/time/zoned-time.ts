import type { Weekday } from '../domain/records.ts';

// The one place that turns instants into wall-clock readings of a zone and back. Everything rests on one primitive,
// the zone's offset at an instant (read through `Intl`, cached per zone and quarter hour); the rest is arithmetic on
// UTC fields. Dates (`YYYY-MM-DD`) have no zone; instants are `Date`s (or epoch milliseconds in hot loops).
//
// DST rule, the same for every function here: a wall-clock time skipped by a spring-forward change moves forward by
// the gap; a time repeated by a fall-back change is read with the later offset (the second pass of the clock).

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One 24-hour day in milliseconds (not a calendar day: those can be 23 or 25 hours long). */
export const DAY_MS = 86_400_000;

/** A wall-clock reading of an instant in some zone. */
export interface WallClockReading {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM' */
  time: string;
  /** ISO weekday, Monday = 1. */
  weekday: Weekday;
}

/** A calendar day as fields, for loops that walk many days (the slot engine); see {@link parseIsoDate}. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
  /** `YYYY-MM-DD` */
  iso: string;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
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
    } catch (cause) {
      throw new RangeError(`unknown time zone: ${JSON.stringify(zone)}`, { cause });
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * Minutes `zone` is ahead of UTC at an instant (uncached: one `Intl` call).
 * @throws RangeError when the zone is unknown.
 * @example zoneOffsetMinutes(Date.UTC(2026, 0, 1), 'Asia/Kathmandu') // 345
 */
export function zoneOffsetMinutes(ms: number, zone: string): number {
  const p: Record<string, string> = {};
  for (const part of formatterFor(zone).formatToParts(ms)) p[part.type] = part.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const offsets = new Map<string, number>();

/**
 * Minutes `zone` is ahead of UTC at an instant, cached per zone and quarter hour (offsets only ever change on a
 * quarter hour), so that reading many instants in a few zones costs a few `Intl` calls, not one each.
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

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoWeekdayOfUtcDay(jsDay: number): Weekday {
  return (jsDay === 0 ? 7 : jsDay) as Weekday;
}

function localDayFromUtcFields(date: Date): LocalDay {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  return {
    year,
    month,
    day,
    iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}`,
    weekday: isoWeekdayOfUtcDay(date.getUTCDay()),
  };
}

/**
 * The date, time and weekday an instant reads as in `zone`.
 * @throws RangeError when the zone is unknown.
 * @example wallClockOf(new Date('2026-09-07T04:00:00Z'), 'Asia/Shanghai') // { date: '2026-09-07', time: '12:00', weekday: 1 }
 */
export function wallClockOf(instant: Date, zone: string): WallClockReading {
  const local = new Date(instant.getTime() + cachedOffsetMinutes(instant.getTime(), zone) * MINUTE_MS);
  const iso = local.toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16), weekday: isoWeekdayOfUtcDay(local.getUTCDay()) };
}

/**
 * The calendar day an instant (epoch milliseconds) falls on in `zone`, as fields.
 * @throws RangeError when the zone is unknown.
 */
export function localDayOf(instantMs: number, zone: string): LocalDay {
  return localDayFromUtcFields(new Date(instantMs + cachedOffsetMinutes(instantMs, zone) * MINUTE_MS));
}

/**
 * The UTC instants (ms) whose reading in `zone` is `naive` (a wall-clock time written as if it were UTC), earliest
 * first: one in general, two for a repeated time, none for a skipped one.
 */
function readingsOf(naive: number, zone: string): { valid: number[]; beforeChange: number } {
  // The offsets a day before and after cover any change near the time: each gives a candidate instant.
  const beforeChange = naive - zoneOffsetMinutes(naive - DAY_MS, zone) * MINUTE_MS;
  const afterChange = naive - zoneOffsetMinutes(naive + DAY_MS, zone) * MINUTE_MS;
  const valid = [...new Set([beforeChange, afterChange])]
    .filter((candidate) => naive - zoneOffsetMinutes(candidate, zone) * MINUTE_MS === candidate)
    .sort((a, b) => a - b);
  return { valid, beforeChange };
}

function naiveMs(date: string, time: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return Date.UTC(year, month - 1, day, hour, minute);
}

/**
 * The instant a wall-clock date and time in `zone` stand for. A time skipped by a DST change moves forward by the
 * gap; a repeated one is read with the later offset.
 * @throws RangeError when the zone is unknown.
 * @example instantAt('2026-09-07', '12:00', 'Asia/Shanghai') // 2026-09-07T04:00:00Z
 */
export function instantAt(date: string, time: string, zone: string): Date {
  const { valid, beforeChange } = readingsOf(naiveMs(date, time), zone);
  // Skipped: read with the offset before the change, which lands the gap's length later on the clock.
  return new Date(valid.length > 0 ? (valid[valid.length - 1] as number) : beforeChange);
}

/**
 * The first instant of a date in `zone`: its midnight, the earlier one when midnight repeats, or the end of the gap
 * when the clocks jump over midnight.
 * @throws RangeError when the zone is unknown.
 * @example startOfLocalDay('2026-11-16', 'Asia/Shanghai') // 2026-11-15T16:00:00Z
 */
export function startOfLocalDay(date: string, zone: string): Date {
  const { valid, beforeChange } = readingsOf(naiveMs(date, '00:00'), zone);
  return new Date(valid.length > 0 ? (valid[0] as number) : beforeChange);
}

/**
 * A calendar date `n` days after `date` ('YYYY-MM-DD'); negative `n` goes back. Dates have no zone.
 * @example addCalendarDays('2026-12-30', 3) // '2027-01-02'
 */
export function addCalendarDays(date: string, n: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + n)).toISOString().slice(0, 10);
}

/**
 * ISO weekday of a calendar date ('YYYY-MM-DD'): Monday = 1 … Sunday = 7. Dates have no zone.
 * @example isoWeekdayOf('2026-09-07') // 1
 */
export function isoWeekdayOf(date: string): Weekday {
  return isoWeekdayOfUtcDay(new Date(`${date}T00:00:00Z`).getUTCDay());
}

/**
 * The next Monday strictly after a date (a Sunday gives the day after; a Monday gives a week later).
 * @example nextMondayAfter('2026-11-18') // '2026-11-23'
 */
export function nextMondayAfter(date: string): string {
  return addCalendarDays(date, 8 - isoWeekdayOf(date));
}

/**
 * The Monday (`YYYY-MM-DD`) starting the week an instant falls in, weeks read in `zone`. Quota weeks use the Home's
 * zone, so a call at 07:30 Monday in Shanghai belongs to that Monday's week even though it is still Sunday in UTC.
 * @throws RangeError when the zone is unknown.
 * @example weekStartOf(new Date('2026-03-01T23:30:00Z'), 'Asia/Shanghai') // '2026-03-02'
 */
export function weekStartOf(instant: Date, zone: string): string {
  const day = localDayOf(instant.getTime(), zone);
  return addLocalDays(day, 1 - day.weekday).iso;
}

/**
 * Minutes since midnight of a wall-clock time `HH:MM` (`24:00` is 1440).
 * @throws RangeError when the text is not a valid clock time.
 * @example parseClockTime('12:15') // 735
 */
export function parseClockTime(value: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) {
    throw new RangeError(`not a clock time HH:MM: ${JSON.stringify(value)}`);
  }
  return hours * 60 + minutes;
}

/**
 * The calendar day of a `YYYY-MM-DD` date, as fields.
 * @throws RangeError when the text is not a real date.
 */
export function parseIsoDate(iso: string): LocalDay {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const day = match
    ? localDayFromUtcFields(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))))
    : null;
  if (!day || day.iso !== iso) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(iso)}`);
  return day;
}

/** The day `n` calendar days after `day` (negative goes back); {@link addCalendarDays} on fields. */
export function addLocalDays(day: LocalDay, n: number): LocalDay {
  return localDayFromUtcFields(new Date(Date.UTC(day.year, day.month - 1, day.day + n)));
}

/** Every calendar day from `first` to `last`, both included. */
export function eachLocalDay(first: LocalDay, last: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = first; day.iso <= last.iso; day = addLocalDays(day, 1)) days.push(day);
  return days;
}

/**
 * {@link instantAt} for loops over many times of few days: remembers each (zone, day) it has seen, so most
 * conversions are arithmetic; days with a DST change go through {@link instantAt} (same DST rule).
 * Create one per computation; it is not meant to live long.
 */
export class WallClock {
  readonly #offsets = new Map<string, number | null>();

  /**
   * The UTC instant (ms) of `minutes` after midnight (0–1440) on `day` in `zone`.
   * @throws RangeError when the zone is unknown.
   */
  toUtcMs(zone: string, day: LocalDay, minutes: number): number {
    const key = `${zone}|${day.iso}`;
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = uniformOffsetOn(zone, day);
      this.#offsets.set(key, offset);
    }
    if (offset !== null) return Date.UTC(day.year, day.month - 1, day.day) + (minutes - offset) * MINUTE_MS;
    const target = minutes === 1440 ? addLocalDays(day, 1) : day;
    const clock = minutes === 1440 ? 0 : minutes;
    return instantAt(target.iso, `${pad(Math.floor(clock / 60))}:${pad(clock % 60)}`, zone).getTime();
  }
}

/** The zone's offset in minutes on `day` if it is the same all day long, else null (a DST change that day). */
function uniformOffsetOn(zone: string, day: LocalDay): number | null {
  const naiveMidnight = Date.UTC(day.year, day.month - 1, day.day);
  // Offsets never exceed ±18h, so these two instants bracket the local day whatever the zone.
  const before = cachedOffsetMinutes(naiveMidnight - DAY_MS, zone);
  const after = cachedOffsetMinutes(naiveMidnight + 2 * DAY_MS, zone);
  if (before !== after) return null;
  const start = cachedOffsetMinutes(naiveMidnight - before * MINUTE_MS, zone);
  const end = cachedOffsetMinutes(naiveMidnight + DAY_MS - before * MINUTE_MS, zone);
  return start === before && end === before ? before : null;
}

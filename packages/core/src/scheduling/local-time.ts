import { DateTime, IANAZone } from 'luxon';
import type { Weekday } from './types.ts';

/** One minute in milliseconds. */
export const MINUTE_MS = 60_000;
/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One 24-hour day in milliseconds (not a calendar day: those can be 23 or 25 hours long). */
export const DAY_MS = 86_400_000;

/** A calendar day as seen in some zone. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
  /** `YYYY-MM-DD` */
  iso: string;
  weekday: Weekday;
}

/**
 * Minutes since midnight of a wall-clock time `HH:MM` (`24:00` is 1440).
 * @throws RangeError when the text is not a valid clock time.
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

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dayFromUtcFields(date: Date): LocalDay {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  return { year, month, day, iso: `${pad(year, 4)}-${pad(month)}-${pad(day)}`, weekday: isoWeekday(date.getUTCDay()) };
}

function isoWeekday(jsDay: number): Weekday {
  return (jsDay === 0 ? 7 : jsDay) as Weekday;
}

/**
 * The calendar day of a `YYYY-MM-DD` date.
 * @throws RangeError when the text is not a real date.
 */
export function parseIsoDate(iso: string): LocalDay {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const day = match
    ? dayFromUtcFields(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))))
    : null;
  if (!day || day.iso !== iso) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(iso)}`);
  return day;
}

/** The day `n` calendar days after `day` (negative goes back). */
export function addDays(day: LocalDay, n: number): LocalDay {
  return dayFromUtcFields(new Date(Date.UTC(day.year, day.month - 1, day.day + n)));
}

/** Every calendar day from `first` to `last`, both included. */
export function eachDay(first: LocalDay, last: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = first; day.iso <= last.iso; day = addDays(day, 1)) days.push(day);
  return days;
}

function zoneOf(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`unknown time zone: ${JSON.stringify(name)}`);
  return zone;
}

/** The calendar day an instant falls on in `zone`. */
export function dayInZone(instantMs: number, zone: string): LocalDay {
  const offsetMinutes = zoneOf(zone).offset(instantMs);
  return dayFromUtcFields(new Date(instantMs + offsetMinutes * MINUTE_MS));
}

/**
 * The Monday (`YYYY-MM-DD`) starting the week an instant falls in, weeks read in `zone`. Quota weeks use the Home's
 * zone, so a call at 07:30 Monday in Shanghai belongs to that Monday's week even though it is still Sunday in UTC.
 * @example weekStartOf(new Date('2026-03-01T23:30:00Z'), 'Asia/Shanghai') // '2026-03-02'
 */
export function weekStartOf(instant: Date, zone: string): string {
  const day = dayInZone(instant.getTime(), zone);
  return addDays(day, 1 - day.weekday).iso;
}

/**
 * Turns wall-clock times in a zone into UTC instants, DST-safe. Remembers each (zone, day) it has seen, so most
 * conversions are arithmetic; days with a DST change go through luxon, which moves a time that does not exist (the
 * spring-forward gap) forward by the gap and reads a repeated time (fall back) with the later offset.
 * Create one per computation; it is not meant to live long.
 */
export class WallClock {
  readonly #offsets = new Map<string, number | null>();

  /** The UTC instant (ms) of `minutes` after midnight (0–1440) on `day` in `zone`. */
  toUtcMs(zone: string, day: LocalDay, minutes: number): number {
    const key = `${zone}|${day.iso}`;
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = this.#uniformOffset(zone, day);
      this.#offsets.set(key, offset);
    }
    if (offset !== null) return Date.UTC(day.year, day.month - 1, day.day) + (minutes - offset) * MINUTE_MS;
    const target = minutes === 1440 ? addDays(day, 1) : day;
    const clock = minutes === 1440 ? 0 : minutes;
    return DateTime.fromObject(
      { year: target.year, month: target.month, day: target.day, hour: Math.floor(clock / 60), minute: clock % 60 },
      { zone },
    ).toMillis();
  }

  /** The zone's offset in minutes on `day` if it is the same all day long, else null (a DST change that day). */
  #uniformOffset(zone: string, day: LocalDay): number | null {
    const z = zoneOf(zone);
    const naiveMidnight = Date.UTC(day.year, day.month - 1, day.day);
    // Offsets never exceed ±18h, so these two instants bracket the local day whatever the zone.
    const before = z.offset(naiveMidnight - DAY_MS);
    const after = z.offset(naiveMidnight + 2 * DAY_MS);
    if (before !== after) return null;
    const start = z.offset(naiveMidnight - before * MINUTE_MS);
    const end = z.offset(naiveMidnight + DAY_MS - before * MINUTE_MS);
    return start === before && end === before ? before : null;
  }
}

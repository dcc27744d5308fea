const DAY_MS = 86_400_000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormatOf(zone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(zone, format);
  }
  return format;
}

/**
 * The calendar date (`YYYY-MM-DD`) an instant falls on in a zone.
 *
 * @example localDateOf(new Date('2026-11-17T23:30:00Z'), 'Asia/Shanghai') === '2026-11-18'
 */
export function localDateOf(instant: Date, zone: string): string {
  return dateFormatOf(zone).format(instant);
}

/** A date `days` later (earlier when negative); dates have no zone. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: Monday = 1 … Sunday = 7. */
export function isoWeekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetMs(instantMs: number, zone: string): number {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instantMs).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant a date starts in a zone (its first moment: midnight, or the end of a gap when the clocks jump at
 * midnight).
 *
 * @example startOfLocalDay('2026-11-16', 'Asia/Shanghai') // 2026-11-15T16:00:00Z
 */
export function startOfLocalDay(date: string, zone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let guess = wall - offsetMs(wall, zone);
  // Once more at the guess: the offset may differ there (a change between the two instants).
  guess = wall - offsetMs(guess, zone);
  if (localDateOf(new Date(guess), zone) !== date) guess += 3_600_000;
  return new Date(guess);
}

/** The next Monday strictly after `date` (a Sunday gives the day after; a Monday gives a week later). */
export function nextMondayAfter(date: string): string {
  return addDays(date, 8 - isoWeekdayOf(date));
}

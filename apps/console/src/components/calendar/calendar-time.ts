/** Dates (`YYYY-MM-DD`) and wall-clock times (`HH:MM`) of the Home's calendar, and instants in its zone. */

const parts = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let format = parts.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    parts.set(zone, format);
  }
  return format;
}

/** The date and time an instant reads in a zone. */
export function wallClockIn(instant: Date, zone: string): { date: string; time: string } {
  const read: Record<string, string> = {};
  for (const part of formatterOf(zone).formatToParts(instant)) read[part.type] = part.value;
  return { date: `${read.year}-${read.month}-${read.day}`, time: `${read.hour}:${read.minute}` };
}

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** `HH:MM` of minutes since midnight. */
export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `date` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** ISO weekday of a date, Monday = 1. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Monday of the week `date` is in. */
export function mondayOf(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/** The instant a date and time read in a zone (the earlier one across a clock change). */
export function instantIn(date: string, time: string, zone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  let guess = naive;
  for (let i = 0; i < 3; i += 1) {
    const read = wallClockIn(new Date(guess), zone);
    const diff = Date.parse(`${read.date}T${read.time}:00Z`) - naive;
    if (diff === 0) break;
    guess -= diff;
  }
  return new Date(guess);
}

/** Whether a string is a real `YYYY-MM-DD` date. */
export function isIsoDate(text: string | null): text is string {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

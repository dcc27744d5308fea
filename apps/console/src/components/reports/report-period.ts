/**
 * The periods the reports offer — a month, or a school term (秋季学期 1 Sep – 31 Jan, 春季学期 1 Feb – 31 Aug) —
 * as inclusive `from`/`to` days in the Home's zone, and their place in the address (`#/reports?period=2026-11`,
 * `#/reports?period=2026-autumn`).
 */

/** A month (`YYYY-MM`) or a term (`YYYY-autumn` starting 1 Sep of YYYY, `YYYY-spring` starting 1 Feb). */
export type PeriodCode = string;

/** A period the reports can show. */
export interface ReportPeriod {
  kind: 'month' | 'term';
  /** `2026-11`, `2026-autumn`, `2027-spring`. */
  code: PeriodCode;
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const TERM = /^(\d{4})-(autumn|spring)$/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The day `YYYY-MM-DD` an instant falls on in a zone. */
export function dayInZone(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The month period `YYYY-MM`, or null when the code is not a month. */
export function monthPeriod(code: string): ReportPeriod | null {
  const match = MONTH.exec(code);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  return { kind: 'month', code, from: `${code}-01`, to: `${code}-${pad(lastDayOf(year, month))}` };
}

/** The term period `YYYY-autumn` (1 Sep YYYY – 31 Jan YYYY+1) or `YYYY-spring` (1 Feb – 31 Aug YYYY). */
export function termPeriod(code: string): ReportPeriod | null {
  const match = TERM.exec(code);
  if (!match) return null;
  const year = Number(match[1]);
  return match[2] === 'autumn'
    ? { kind: 'term', code, from: `${year}-09-01`, to: `${year + 1}-01-31` }
    : { kind: 'term', code, from: `${year}-02-01`, to: `${year}-08-31` };
}

/** A period from its code (month or term), or null. */
export function periodOf(code: string | null | undefined): ReportPeriod | null {
  if (!code) return null;
  return monthPeriod(code) ?? termPeriod(code);
}

/** The month a day (`YYYY-MM-DD`) is in, `months` later (negative: earlier). */
export function monthCodeOf(day: string, months = 0): PeriodCode {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7)) - 1 + months;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  return `${y}-${pad(m + 1)}`;
}

/** The term a day (`YYYY-MM-DD`) is in, `terms` later (negative: earlier). */
export function termCodeOf(day: string, terms = 0): PeriodCode {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  // Terms counted from year 0: autumn of Y is 2Y+1, spring of Y is 2Y.
  let index = month >= 9 ? year * 2 + 1 : month === 1 ? (year - 1) * 2 + 1 : year * 2;
  index += terms;
  const termYear = Math.floor(index / 2);
  return `${termYear}-${index % 2 === 1 ? 'autumn' : 'spring'}`;
}

/** The presets: this month, last month, this term, last term, for the Home's today. */
export function presetsFor(
  today: string,
): { key: 'this-month' | 'last-month' | 'this-term' | 'last-term'; code: PeriodCode }[] {
  return [
    { key: 'this-month', code: monthCodeOf(today) },
    { key: 'last-month', code: monthCodeOf(today, -1) },
    { key: 'this-term', code: termCodeOf(today) },
    { key: 'last-term', code: termCodeOf(today, -1) },
  ];
}

import type { ApiResponse } from '@affection/server/contract';
import { addDays, mondayOf, weekdayOf } from '../calendar/calendar-time.ts';

/** A line of the weekly rota. */
export type PatternEntry = ApiResponse<'GET /api/duty/pattern'>['entries'][number];

/** A dated change to the rota. */
export type DutyOverride = ApiResponse<'GET /api/duty/overrides'>['items'][number];

/** A staff member named on a day of the calendar. */
export interface DayName {
  staffId: string;
  displayName: string;
  /** On duty that day only because of a dated change (`add`). */
  added: boolean;
  /** On the weekly rota for that weekday but taken off that day (`remove`). */
  removed: boolean;
  /** The change behind the mark, when there is one. */
  overrideId: string | null;
}

/** ISO weekdays, Monday first. */
export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** `YYYY-MM` of a date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The first and last day of a month `YYYY-MM`. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before (`-1`) or after (`1`) a month `YYYY-MM`. */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
}

/**
 * The weeks a month calendar draws, Monday first: each week is seven dates, `null` for days of the
 * months before and after.
 */
export function monthWeeks(month: string): (string | null)[][] {
  const { from, to } = monthRange(month);
  const weeks: (string | null)[][] = [];
  let day = mondayOf(from);
  while (day <= to) {
    const week: (string | null)[] = [];
    for (let i = 0; i < 7; i += 1) {
      week.push(day >= from && day <= to ? day : null);
      day = addDays(day, 1);
    }
    weeks.push(week);
  }
  return weeks;
}

/**
 * Who is on duty on a date, as the server reckons it (the weekly rota for the date's weekday, plus
 * adds, minus removes; switched-off staff never), with the staff taken off that day kept and marked.
 * By name.
 */
export function namesOnDate(
  date: string,
  pattern: readonly PatternEntry[],
  overrides: readonly DutyOverride[],
): DayName[] {
  const weekday = weekdayOf(date);
  const byStaff = new Map<string, DayName>();
  for (const entry of pattern) {
    if (entry.weekday !== weekday || !entry.active) continue;
    byStaff.set(entry.staffId, {
      staffId: entry.staffId,
      displayName: entry.displayName,
      added: false,
      removed: false,
      overrideId: null,
    });
  }
  for (const change of overrides) {
    if (change.date !== date || !change.active) continue;
    const onPattern = byStaff.get(change.staffId);
    if (change.kind === 'remove') {
      if (onPattern) byStaff.set(change.staffId, { ...onPattern, removed: true, overrideId: change.id });
    } else if (!onPattern || onPattern.removed) {
      byStaff.set(change.staffId, {
        staffId: change.staffId,
        displayName: change.displayName,
        added: true,
        removed: false,
        overrideId: change.id,
      });
    }
  }
  return [...byStaff.values()].sort(
    (x, y) => x.displayName.localeCompare(y.displayName, 'zh-CN') || x.staffId.localeCompare(y.staffId),
  );
}

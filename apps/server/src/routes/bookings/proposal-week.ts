import { addCalendarDays, nextMondayAfter, startOfLocalDay, wallClockOf, weekStartOf } from '@affection/core';

/** A week of the Home's calendar: its Monday and the instants it starts and ends at. */
export interface ProposalWeek {
  /** Monday, `YYYY-MM-DD` in the Home's zone. */
  week: string;
  start: Date;
  end: Date;
}

/**
 * The week `date` falls in (Monday to Sunday in the Home's zone), or by default the week the weekly proposals plan:
 * the one after today's.
 * @example proposalWeekOf('Asia/Shanghai', now, '2026-12-09') // { week: '2026-12-07', … }
 */
export function proposalWeekOf(zone: string, now: Date, date?: string): ProposalWeek {
  const week = date ? weekStartOf(startOfLocalDay(date, zone), zone) : nextMondayAfter(wallClockOf(now, zone).date);
  return { week, start: startOfLocalDay(week, zone), end: startOfLocalDay(addCalendarDays(week, 7), zone) };
}

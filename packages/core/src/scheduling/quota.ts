import { isCountedBooking } from '../bookings/booking-statuses.ts';
import { weekStartOf } from '../time/zoned-time.ts';
import type { QuotaUsage, SchedulingBooking } from './types.ts';

/**
 * Counts active bookings per child per quota week (weeks start on Monday in `timeZone`, the Home's zone). A booking
 * belongs to the week its start falls in.
 * @example countQuotaUsage(bookings, 'Asia/Shanghai').get('chd_1')?.get('2026-03-02') // 1
 */
export function countQuotaUsage(bookings: readonly SchedulingBooking[], timeZone: string): QuotaUsage {
  const usage = new Map<string, Map<string, number>>();
  for (const booking of bookings) {
    if (!isCountedBooking(booking)) continue;
    const week = weekStartOf(booking.start, timeZone);
    for (const childId of new Set(booking.childIds)) {
      const weeks = usage.get(childId) ?? new Map<string, number>();
      weeks.set(week, (weeks.get(week) ?? 0) + 1);
      usage.set(childId, weeks);
    }
  }
  return usage;
}

/** Calls a child already has in the quota week starting on Monday `weekStart` (`YYYY-MM-DD`). */
export function quotaUsed(usage: QuotaUsage, childId: string, weekStart: string): number {
  return usage.get(childId)?.get(weekStart) ?? 0;
}

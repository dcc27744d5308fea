import { type SQL, sql } from 'drizzle-orm';

/** Booking statuses that count as a booked call in the reports (not proposed, cancelled or declined). */
export const BOOKED_STATUSES_SQL = sql.raw(`('confirmed','in-progress','completed','missed')`);

/** Whose children a report counts: the whole Home, one teacher's paired children, or one child. */
export type ReportScope = { kind: 'home' } | { kind: 'teacher'; staffId: string } | { kind: 'child'; childId: string };

/** A period: days in the Home's zone, both included (`YYYY-MM-DD`). */
export interface ReportPeriod {
  from: string;
  to: string;
}

/** How a call ended, as the reports say it; `pending` while it has not ended. */
export type ReportOutcome = 'completed' | 'parent-no-show' | 'child-no-show' | 'failed' | 'pending';

/** The instant a day of the Home's zone starts (`day` a `YYYY-MM-DD` string or a date expression). */
export function zonedDayStart(day: SQL, timeZone: string): SQL {
  return sql`((${day})::date::timestamp at time zone ${timeZone})`;
}

/**
 * The report outcome of a booking `b` with its call log `cl`: `completed` when the booking is (a call done by
 * phone has no log), the log's no-show or failure when it was missed (`failed` without a log), else `pending`.
 */
export const OUTCOME_SQL = sql.raw(`(case when b.status = 'completed' then 'completed'
  when b.status = 'missed' then case when cl.outcome in ('parent-no-show','child-no-show','failed') then cl.outcome else 'failed' end
  else 'pending' end)`);

/** The children of a Home a scope names (erased children are left out: their record is gone). */
export function scopeChildrenSql(homeId: string, scope: ReportScope): SQL {
  const filter =
    scope.kind === 'teacher'
      ? sql` and exists (select 1 from pairings p where p.child_id = c.id and p.staff_id = ${scope.staffId})`
      : scope.kind === 'child'
        ? sql` and c.id = ${scope.childId}`
        : sql``;
  return sql`select c.id, c.created_at, c.archived_at, c.family_name, c.given_name, c.class_name
      from children c where c.home_id = ${homeId} and c.erased_at is null${filter}`;
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

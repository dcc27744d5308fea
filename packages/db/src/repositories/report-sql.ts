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

/** The condition that child row `ch` is in `scope` (not erased; paired with the teacher; the child). */
export function childInScopeSql(scope: ReportScope): SQL {
  return scope.kind === 'teacher'
    ? sql`(ch.erased_at is null and exists (select 1 from pairings p where p.child_id = ch.id and p.staff_id = ${scope.staffId}))`
    : scope.kind === 'child'
      ? sql`(ch.erased_at is null and ch.id = ${scope.childId})`
      : sql`(ch.erased_at is null)`;
}

/**
 * The period's calls as common table expressions, planned from the period's bookings outwards whatever the
 * database's statistics say (the embedded database never gathers any): `calls` (one row per booked call:
 * `id, start_at, status, outcome, seconds, in_scope`) and `call_kids` (one row per child on a call: `booking_id,
 * start_at, status, child_id, in_scope, created_at, archived_at, mood`). Every other table is reached by a lateral
 * or scalar subquery on an index, so a missing estimate cannot turn a join inside out.
 */
export function periodCallsSql(homeId: string, timeZone: string, period: ReportPeriod, scope: ReportScope): SQL {
  const periodStart = zonedDayStart(sql`${period.from}`, timeZone);
  const periodEnd = zonedDayStart(sql`${period.to}::date + 1`, timeZone);
  const inScope = childInScopeSql(scope);
  return sql`calls as materialized (
        select b.id, b.start_at, b.status, cl.id as log_id, cl.outcome, coalesce(cl.overlap_seconds, 0) as seconds,
               ${
                 scope.kind === 'home'
                   ? sql`true`
                   : sql`coalesce((select bool_or(k.in_scope) from booking_children x
                           cross join lateral (select ${inScope} as in_scope from children ch
                                                where ch.id = x.child_id offset 0) k
                          where x.booking_id = b.id), false)`
               } as in_scope
          from bookings b
          left join lateral (select l.id, l.outcome, l.overlap_seconds from call_logs l
                              where l.booking_id = b.id offset 0) cl on true
         where b.home_id = ${homeId} and b.status in ${BOOKED_STATUSES_SQL}
           and b.start_at >= ${periodStart} and b.start_at < ${periodEnd}),
      call_kids as materialized (
        select c.id as booking_id, c.start_at, c.status, x.child_id, k.in_scope, k.created_at, k.archived_at,
               (select clc.mood from call_log_children clc
                 where clc.call_log_id = c.log_id and clc.child_id = x.child_id) as mood
          from calls c
          cross join lateral (select y.child_id from booking_children y where y.booking_id = c.id offset 0) x
          cross join lateral (select ${inScope} as in_scope, ch.created_at, ch.archived_at
                                from children ch where ch.id = x.child_id offset 0) k)`;
}

/** A percentage with one decimal, or null when there is nothing to divide by. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

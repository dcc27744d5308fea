import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { selectRows } from '../select-rows.ts';
import {
  percentOf,
  periodCallsSql,
  type ReportPeriod,
  type ReportScope,
  scopeChildrenSql,
  zonedDayStart,
} from './report-sql.ts';

/** The counts of a period or of one month of it. */
export interface ReportCounts {
  /** Children on the roll at some time in the window: made before its end, not archived before its start. */
  children: number;
  /** Calls booked to start in the window (confirmed, under way, completed or missed), once each. */
  callsBooked: number;
  callsCompleted: number;
  parentNoShows: number;
  childNoShows: number;
  /** Seconds child and family were together (the call logs' overlap), over 60, rounded. */
  minutes: number;
  /** Children on the roll with at least one completed call in the window. */
  childrenReached: number;
  /** One decimal; null with no children. */
  reachedPercent: number | null;
}

/** One month of a period: `from`/`to` are cut to the period. */
export interface ReportMonth extends ReportCounts {
  month: string;
  from: string;
  to: string;
}

/** One week of a period, Monday to Sunday: `from`/`to` are cut to the period. */
export interface ReportWeek extends ReportCounts {
  from: string;
  to: string;
}

/** What {@link loadReportCounts} counts besides the totals and the months. */
export interface ReportCountsOptions {
  /** Count each week (Monday to Sunday) of the period too, in the same statement. Default false: no weeks. */
  weeks?: boolean;
}

/** What a summary counts over a period. */
export interface ReportSummaryCounts {
  totals: ReportCounts & { averageWeeksBetweenCalls: number | null };
  months: ReportMonth[];
  /** Each week of the period, when asked for ({@link ReportCountsOptions.weeks}); else empty. */
  weeks: ReportWeek[];
  /** All five faces, 1 to 5, with how often each was tapped after the period's calls. */
  moods: { mood: number; count: number }[];
}

type WindowRow = {
  kind: 'month' | 'week' | 'total';
  month: string | null;
  w_from: string;
  w_to: string;
  children: number | string;
  calls_booked: number | string;
  calls_completed: number | string;
  parent_no_shows: number | string;
  child_no_shows: number | string;
  seconds: number | string;
  children_reached: number | string;
  /** On the total row only. */
  weeks: number | string | null;
  moods: { mood: number; count: number | string }[] | string | null;
};

/**
 * Counts a period in a Home, month by month (and week by week when asked) and in total, for the children of `scope`
 * — in SQL, in one statement. A call belongs to the day (week, month) its slot starts on in the Home's zone; with a
 * teacher's or a child's scope, only calls with a child of the scope count. Minutes are the call logs' overlap seconds.
 *
 * @example await loadReportCounts(db, home.id, home.timeZone, { from: '2026-09-01', to: '2026-09-30' }, { kind: 'home' })
 */
export async function loadReportCounts(
  db: Db,
  homeId: string,
  timeZone: string,
  period: ReportPeriod,
  scope: ReportScope,
  options: ReportCountsOptions = {},
): Promise<ReportSummaryCounts> {
  const calls = periodCallsSql(homeId, timeZone, period, scope);
  // Weeks start on Monday (date_trunc's week); the first and last are cut at the period's ends, as months are.
  const weekWindows = options.weeks
    ? sql`union all select 'week', null, greatest(w::date, ${period.from}::date), least(w::date + 6, ${period.to}::date)
          from generate_series(date_trunc('week', ${period.from}::date), ${period.to}::date, interval '1 week') w`
    : sql``;
  const rows = await selectRows<WindowRow>(
    db,
    sql`with scope_children as materialized (${scopeChildrenSql(homeId, scope)}),
      ${calls},
      windows as (
        select 'month' as kind, to_char(m, 'YYYY-MM') as month, greatest(m::date, ${period.from}::date) as w_from,
               least((m + interval '1 month' - interval '1 day')::date, ${period.to}::date) as w_to
          from generate_series(date_trunc('month', ${period.from}::date), ${period.to}::date, interval '1 month') m
        ${weekWindows}
        union all select 'total', null, ${period.from}::date, ${period.to}::date),
      bounds as materialized (
        select kind, month, w_from, w_to, ${zonedDayStart(sql`w_from`, timeZone)} as start_at,
               ${zonedDayStart(sql`w_to + 1`, timeZone)} as end_at
          from windows)
      select w.kind, w.month, to_char(w.w_from, 'YYYY-MM-DD') as w_from, to_char(w.w_to, 'YYYY-MM-DD') as w_to,
        (select count(*) from scope_children sc
          where sc.created_at < w.end_at and (sc.archived_at is null or sc.archived_at >= w.start_at)) as children,
        (select count(*) from calls c
          where c.in_scope and c.start_at >= w.start_at and c.start_at < w.end_at) as calls_booked,
        (select count(*) from calls c where c.in_scope and c.status = 'completed'
            and c.start_at >= w.start_at and c.start_at < w.end_at) as calls_completed,
        (select count(*) from calls c where c.in_scope and c.status = 'missed' and c.outcome = 'parent-no-show'
            and c.start_at >= w.start_at and c.start_at < w.end_at) as parent_no_shows,
        (select count(*) from calls c where c.in_scope and c.status = 'missed' and c.outcome = 'child-no-show'
            and c.start_at >= w.start_at and c.start_at < w.end_at) as child_no_shows,
        (select coalesce(sum(c.seconds), 0) from calls c
          where c.in_scope and c.start_at >= w.start_at and c.start_at < w.end_at) as seconds,
        (select count(distinct k.child_id) from call_kids k
          where k.in_scope and k.status = 'completed' and k.start_at >= w.start_at and k.start_at < w.end_at
            and k.created_at < w.end_at and (k.archived_at is null or k.archived_at >= w.start_at))
          as children_reached,
        case when w.kind = 'total' then
          (select round((avg(extract(epoch from g.start_at - g.before_at)) / 604800)::numeric, 1)::float8
             from (select k.start_at, lag(k.start_at) over (partition by k.child_id order by k.start_at) as before_at
                     from call_kids k where k.in_scope and k.status = 'completed') g
            where g.before_at is not null) end as weeks,
        case when w.kind = 'total' then
          (select json_agg(json_build_object('mood', m.mood, 'count', m.n))
             from (select k.mood, count(*) as n from call_kids k
                    where k.in_scope and k.mood is not null group by k.mood) m) end as moods
      from bounds w
      order by w.kind, w.w_from`,
  );
  const counts = rows.map((row) => {
    const children = Number(row.children);
    const childrenReached = Number(row.children_reached);
    return {
      kind: row.kind,
      month: row.month,
      from: row.w_from,
      to: row.w_to,
      children,
      callsBooked: Number(row.calls_booked),
      callsCompleted: Number(row.calls_completed),
      parentNoShows: Number(row.parent_no_shows),
      childNoShows: Number(row.child_no_shows),
      minutes: Math.round(Number(row.seconds) / 60),
      childrenReached,
      reachedPercent: percentOf(childrenReached, children),
    };
  });
  const total = counts.find((row) => row.kind === 'total');
  if (!total) throw new Error('The report query answered without its total row.');
  const { kind: _kind, month: _month, from: _from, to: _to, ...totals } = total;
  const totalRow = rows.find((row) => row.kind === 'total');
  const weeks = totalRow?.weeks;
  const moodList = (typeof totalRow?.moods === 'string' ? JSON.parse(totalRow.moods) : totalRow?.moods) as
    | { mood: number; count: number | string }[]
    | null
    | undefined;
  const moodCounts = new Map((moodList ?? []).map((row) => [Number(row.mood), Number(row.count)]));
  return {
    totals: { ...totals, averageWeeksBetweenCalls: weeks === null || weeks === undefined ? null : Number(weeks) },
    months: counts.flatMap(({ kind, month, ...rest }) =>
      kind === 'month' && month !== null ? [{ month, ...rest }] : [],
    ),
    weeks: counts.flatMap(({ kind, month: _month, ...rest }) => (kind === 'week' ? [rest] : [])),
    moods: [1, 2, 3, 4, 5].map((mood) => ({ mood, count: moodCounts.get(mood) ?? 0 })),
  };
}

/** The children on the completed calls of a Home starting in [start, end), each once (from the bookings outwards). */
function completedChildrenSql(homeId: string, start: SQL, end: SQL): SQL {
  return sql`select distinct x.child_id from bookings b
    cross join lateral (select y.child_id from booking_children y where y.booking_id = b.id offset 0) x
    where b.home_id = ${homeId} and b.status = 'completed' and b.start_at >= ${start} and b.start_at < ${end}`;
}

/** A child with no completed call in a period. */
export interface UnreachedChild {
  childId: string;
  familyName: string;
  givenName: string;
  className: string | null;
  archived: boolean;
  /** Day (Home's zone) of the last completed call before the period's end; null when there was none. */
  lastCallDate: string | null;
}

/**
 * The children of `scope` on the roll during the period with no completed call in it, by class and name, a page
 * at a time, with how many there are in all.
 */
export async function listUnreachedChildren(
  db: Db,
  homeId: string,
  timeZone: string,
  period: ReportPeriod,
  scope: ReportScope,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: UnreachedChild[] }> {
  const periodStart = zonedDayStart(sql`${period.from}`, timeZone);
  const periodEnd = zonedDayStart(sql`${period.to}::date + 1`, timeZone);
  const rows = await selectRows<{
    id: string;
    family_name: string;
    given_name: string;
    class_name: string | null;
    archived: boolean;
    last_call: string | null;
    total: number | string;
  }>(
    db,
    sql`with scope_children as materialized (${scopeChildrenSql(homeId, scope)}),
      reached as materialized (${completedChildrenSql(homeId, periodStart, periodEnd)}),
      unreached as materialized (
        select sc.* from scope_children sc
         where sc.created_at < ${periodEnd} and (sc.archived_at is null or sc.archived_at >= ${periodStart})
           and sc.id not in (select r.child_id from reached r)),
      paged as (
        select u.*, count(*) over () as total from unreached u
         order by u.class_name nulls last, u.family_name, u.given_name, u.id
         limit ${page.limit} offset ${page.offset})
      select u.id, u.family_name, u.given_name, u.class_name, u.archived_at is not null as archived,
             (select to_char(max(b.start_at) at time zone ${timeZone}, 'YYYY-MM-DD')
                from booking_children bc
                cross join lateral (select x.start_at from bookings x where x.id = bc.booking_id
                                       and x.status = 'completed' and x.start_at < ${periodEnd} offset 0) b
               where bc.child_id = u.id) as last_call,
             u.total
        from paged u
       order by u.class_name nulls last, u.family_name, u.given_name, u.id`,
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page.offset > 0) {
    const [count] = await selectRows<{ total: number | string }>(
      db,
      sql`with scope_children as materialized (${scopeChildrenSql(homeId, scope)}),
        reached as materialized (${completedChildrenSql(homeId, periodStart, periodEnd)})
        select count(*) as total from scope_children sc
         where sc.created_at < ${periodEnd} and (sc.archived_at is null or sc.archived_at >= ${periodStart})
           and sc.id not in (select r.child_id from reached r)`,
    );
    total = Number(count?.total ?? 0);
  }
  return {
    total,
    items: rows.map((row) => ({
      childId: row.id,
      familyName: row.family_name,
      givenName: row.given_name,
      className: row.class_name,
      archived: row.archived,
      lastCallDate: row.last_call,
    })),
  };
}

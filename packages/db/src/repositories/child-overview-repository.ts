import type { Child } from '@affection/core';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { children } from '../schema/index.ts';
import { selectRows } from '../select-rows.ts';
import { comparePinyin, pinyinInitialsOf } from './pinyin-initials.ts';

const DAY_MS = 86_400_000;
/** A search of letters only, which may be pinyin initials (wxm for 王小明). */
const INITIALS = /^[a-z]{1,10}$/i;

/** A teacher paired with a child, by name. */
export interface OverviewTeacher {
  staffId: string;
  displayName: string;
}

/** A child's next call: the earliest booking not yet over that is proposed, confirmed or under way. */
export interface OverviewNextCall {
  bookingId: string;
  startAt: Date;
  status: 'proposed' | 'confirmed' | 'in-progress';
}

/** A child with what the children list shows beside the name. */
export interface ChildOverview {
  child: Child;
  householdName: string;
  /** Active teachers paired with the child, by name. */
  pairedTeachers: OverviewTeacher[];
  /** Start of the child's last completed call; null when there was none. */
  lastCallAt: Date | null;
  /** Whole weeks since the last completed call; null when there was none. */
  weeksSinceLastCall: number | null;
  /** Whole days without a completed call, counted from the last one or else from when the record was made. */
  daysWithoutContact: number;
  nextCall: OverviewNextCall | null;
}

/** Options of {@link listChildOverviews}. */
export interface ListChildOverviewsOptions {
  now: Date;
  /**
   * Matches a child's family name, given name, both as written (王小明), class, the household's name or the name of
   * one of the household's contacts.
   */
  search?: string | undefined;
  householdId?: string | undefined;
  /** One child (the record page). */
  childId?: string | undefined;
  /** `exclude` (default) lists children at school, `include` adds the archived ones, `only` lists only those. */
  archived?: 'exclude' | 'include' | 'only';
  /** Only the children paired with this member of staff, or `none`: those with no active teacher. */
  pairedStaffId?: string | undefined;
  /** Only children with no completed call for this many days or more (as the no-contact alert counts). */
  noContactDays?: number | undefined;
  /** `name` (default): family then given name; `wait`: longest without a call first. */
  sort?: 'name' | 'wait';
  limit: number;
  offset: number;
}

type OverviewRow = {
  id: string;
  family_name: string;
  given_name: string;
  text_match: boolean;
  contact_names: string[] | string;
  household_name: string;
  created_ms: number | string;
  last_call_ms: number | string | null;
  next_call: { bookingId: string; startMs: number; status: OverviewNextCall['status'] } | string | null;
  teachers: OverviewTeacher[] | string;
};

function parsed<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * A page of a Home's children with their household, paired teachers, last and next call: filtered and computed in one
 * statement (erased children never appear), then ordered (pinyin order of the names, or the longest wait first) and
 * paged. A search of letters only also matches the pinyin initials of a child's, household's or contact's name. The
 * children of the page are read by id afterwards, so they carry every column of the record.
 *
 * @example await listChildOverviews(db, homeId, { now, search: '王', noContactDays: 14, limit: 50, offset: 0 })
 */
export async function listChildOverviews(
  db: Db,
  homeId: string,
  options: ListChildOverviewsOptions,
): Promise<{ items: ChildOverview[]; total: number }> {
  const now = options.now.toISOString();
  const inner: SQL[] = [sql`c.home_id = ${homeId}`, sql`c.erased_at is null`];
  const archived = options.archived ?? 'exclude';
  if (archived === 'exclude') inner.push(sql`c.archived_at is null`);
  if (archived === 'only') inner.push(sql`c.archived_at is not null`);
  if (options.householdId) inner.push(sql`c.household_id = ${options.householdId}`);
  if (options.childId) inner.push(sql`c.id = ${options.childId}`);
  const search = options.search?.trim();
  // Letters only ("wxm") may be pinyin initials: matched here after the statement, together with the text match.
  const byInitials = search !== undefined && INITIALS.test(search);
  let textMatch: SQL = sql`true`;
  if (search) {
    const pattern = `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    textMatch = sql`(c.family_name ilike ${pattern} or c.given_name ilike ${pattern}
      or (c.family_name || c.given_name) ilike ${pattern} or c.class_name ilike ${pattern}
      or h.name ilike ${pattern}
      or exists (select 1 from contacts k where k.household_id = c.household_id and k.name ilike ${pattern}))`;
    if (!byInitials) inner.push(textMatch);
  }
  if (options.pairedStaffId === 'none') {
    inner.push(sql`not exists (select 1 from pairings p join staff s on s.id = p.staff_id
      where p.child_id = c.id and s.active)`);
  } else if (options.pairedStaffId) {
    inner.push(
      sql`exists (select 1 from pairings p where p.child_id = c.id and p.staff_id = ${options.pairedStaffId})`,
    );
  }
  const outer: SQL[] = [sql`true`];
  if (options.noContactDays !== undefined) {
    outer.push(
      sql`coalesce(o.last_call_at, o.created_at) <= ${now}::timestamptz - make_interval(days => ${options.noContactDays})`,
    );
  }
  const rows = await selectRows<OverviewRow>(
    db,
    sql`with o as (
      select c.id, c.family_name, c.given_name, c.created_at, h.name as household_name,
        ${textMatch} as text_match,
        ${
          byInitials
            ? sql`(select coalesce(json_agg(k.name), '[]'::json) from contacts k where k.household_id = c.household_id)`
            : sql`'[]'::json`
        } as contact_names,
        (select max(b.start_at) from booking_children bc join bookings b on b.id = bc.booking_id
          where bc.child_id = c.id and b.status = 'completed') as last_call_at,
        (select json_build_object('bookingId', b.id, 'status', b.status,
                  'startMs', floor(extract(epoch from b.start_at) * 1000)::float8)
           from booking_children bc join bookings b on b.id = bc.booking_id
          where bc.child_id = c.id and b.status in ('proposed', 'confirmed', 'in-progress')
            and b.end_at > ${now}::timestamptz
          order by b.start_at, b.id limit 1) as next_call,
        coalesce((select json_agg(json_build_object('staffId', s.id, 'displayName', s.display_name)
                    order by s.display_name, s.id)
                    from pairings p join staff s on s.id = p.staff_id
                   where p.child_id = c.id and s.active), '[]'::json) as teachers
      from children c join households h on h.id = c.household_id
      where ${and(...inner)}
    )
    select o.id, o.family_name, o.given_name, o.household_name, o.next_call, o.teachers, o.text_match,
      o.contact_names,
      floor(extract(epoch from o.created_at) * 1000)::float8 as created_ms,
      floor(extract(epoch from o.last_call_at) * 1000)::float8 as last_call_ms
    from o where ${and(...outer)}`,
  );
  const needle = byInitials ? (search ?? '').toLowerCase() : '';
  const matching = byInitials
    ? rows.filter(
        (row) =>
          row.text_match === true ||
          [`${row.family_name}${row.given_name}`, row.household_name, ...parsed(row.contact_names)].some((name) =>
            pinyinInitialsOf(name).includes(needle),
          ),
      )
    : rows;
  // Ordered here rather than in SQL: the pinyin collation a Chinese reader expects needs ICU, which the embedded
  // database lacks. A Home has at most a few thousand children, so the whole filtered set is small.
  const waitOf = (row: OverviewRow) => Number(row.last_call_ms ?? row.created_ms);
  const ordered = [...matching].sort((a, b) =>
    options.sort === 'wait'
      ? waitOf(a) - waitOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      : comparePinyin(a.family_name, b.family_name) ||
        comparePinyin(a.given_name, b.given_name) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const total = ordered.length;
  const pageRows = ordered.slice(options.offset, options.offset + options.limit);
  if (pageRows.length === 0) return { items: [], total };
  const found = await db
    .select()
    .from(children)
    .where(
      and(
        eq(children.homeId, homeId),
        inArray(
          children.id,
          pageRows.map((row) => row.id),
        ),
      ),
    );
  const byId = new Map(found.map((child) => [child.id, child as Child]));
  const nowMs = options.now.getTime();
  const items = pageRows.flatMap((row): ChildOverview[] => {
    const child = byId.get(row.id);
    if (!child) return [];
    const lastCallAt = row.last_call_ms === null ? null : new Date(Number(row.last_call_ms));
    const since = lastCallAt ?? new Date(Number(row.created_ms));
    const next = row.next_call === null ? null : parsed(row.next_call);
    return [
      {
        child,
        householdName: row.household_name,
        pairedTeachers: parsed(row.teachers),
        lastCallAt,
        weeksSinceLastCall: lastCallAt ? Math.floor((nowMs - lastCallAt.getTime()) / (7 * DAY_MS)) : null,
        daysWithoutContact: Math.max(0, Math.floor((nowMs - since.getTime()) / DAY_MS)),
        nextCall: next
          ? { bookingId: next.bookingId, startAt: new Date(Number(next.startMs)), status: next.status }
          : null,
      },
    ];
  });
  return { items, total };
}

import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { selectRows } from '../select-rows.ts';
import {
  BOOKED_STATUSES_SQL,
  OUTCOME_SQL,
  type ReportOutcome,
  type ReportPeriod,
  zonedDayStart,
} from './report-sql.ts';

type Relation = 'mother' | 'father' | 'grandmother' | 'grandfather' | 'guardian' | 'other';

/** A child on the roster with the household's contacts (whole E.164 numbers: the route masks them). */
export interface RosterEntry {
  childId: string;
  familyName: string;
  givenName: string;
  className: string | null;
  householdId: string;
  householdName: string;
  archived: boolean;
  contacts: { contactId: string; name: string; relation: Relation; city: string | null; phone: string }[];
}

function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The roster (留守儿童花名册): the Home's children by class and name, each with their household's contacts that
 * are not revoked. With a period, the children on the roll at some time in it; without, those on the roll now.
 */
export async function listRosterEntries(
  db: Db,
  homeId: string,
  timeZone: string,
  period: ReportPeriod | null,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: RosterEntry[] }> {
  const onRoll = period
    ? sql`c.created_at < ${zonedDayStart(sql`${period.to}::date + 1`, timeZone)}
          and (c.archived_at is null or c.archived_at >= ${zonedDayStart(sql`${period.from}`, timeZone)})`
    : sql`c.archived_at is null`;
  const rows = await selectRows<{
    id: string;
    family_name: string;
    given_name: string;
    class_name: string | null;
    household_id: string;
    household_name: string;
    archived: boolean;
    contacts: RosterEntry['contacts'] | string;
    total: number | string;
  }>(
    db,
    sql`with roll as (select c.* from children c where c.home_id = ${homeId} and c.erased_at is null and ${onRoll}),
      counted as (select count(*) as total from roll),
      paged as (select * from roll order by class_name nulls last, family_name, given_name, id
                limit ${page.limit} offset ${page.offset})
      select p.id, p.family_name, p.given_name, p.class_name, p.household_id, h.name as household_name,
             p.archived_at is not null as archived,
             coalesce((select json_agg(json_build_object('contactId', ct.id, 'name', ct.name, 'relation', ct.relation,
                                 'city', ct.city, 'phone', ct.phone) order by ct.created_at, ct.id)
                         from contacts ct where ct.household_id = p.household_id and ct.revoked_at is null),
                      '[]'::json) as contacts,
             (select total from counted) as total
        from paged p join households h on h.id = p.household_id
       order by p.class_name nulls last, p.family_name, p.given_name, p.id`,
  );
  const total =
    rows.length > 0
      ? Number(rows[0]?.total)
      : Number(
          (
            await selectRows<{ total: number | string }>(
              db,
              sql`select count(*) as total from children c
                   where c.home_id = ${homeId} and c.erased_at is null and ${onRoll}`,
            )
          )[0]?.total ?? 0,
        );
  return {
    total,
    items: rows.map((row) => ({
      childId: row.id,
      familyName: row.family_name,
      givenName: row.given_name,
      className: row.class_name,
      householdId: row.household_id,
      householdName: row.household_name,
      archived: row.archived,
      contacts: parseJson(row.contacts),
    })),
  };
}

/** One call of the call record book. */
export interface CallBookEntry {
  bookingId: string;
  /** The slot's start, for the keyset cursor. */
  startAt: Date;
  /** `YYYY-MM-DD` and `HH:MM` of the slot's start in the Home's zone. */
  date: string;
  time: string;
  children: { childId: string; familyName: string; givenName: string; className: string | null; mood: number | null }[];
  contacts: { contactId: string; name: string; relation: Relation }[];
  seconds: number;
  outcome: ReportOutcome;
}

/** Where a page of the call book starts: after this call (slot start, then id). */
export interface CallBookAfter {
  startAt: Date;
  bookingId: string;
}

/**
 * The call record book (亲情通话记录簿): every call booked in the period (confirmed, under way, completed or missed;
 * never a cancelled or declined one), by slot start, with its children (and the face each tapped), who they talked
 * to (one or two contacts), the seconds together and the outcome. Keyset paged on (slot start, id).
 */
export async function listCallBookEntries(
  db: Db,
  homeId: string,
  timeZone: string,
  period: ReportPeriod,
  page: { limit: number; after: CallBookAfter | null; withTotal?: boolean },
): Promise<{ total: number | null; items: CallBookEntry[] }> {
  const periodStart = zonedDayStart(sql`${period.from}`, timeZone);
  const periodEnd = zonedDayStart(sql`${period.to}::date + 1`, timeZone);
  const after = page.after
    ? sql` and (b.start_at, b.id) > (${page.after.startAt.toISOString()}::timestamptz, ${page.after.bookingId})`
    : sql``;
  const rows = await selectRows<{
    id: string;
    start_ms: number | string;
    day: string;
    time: string;
    children: CallBookEntry['children'] | string;
    contacts: CallBookEntry['contacts'] | string;
    seconds: number | string;
    outcome: ReportOutcome;
  }>(
    db,
    sql`select b.id, floor(extract(epoch from b.start_at) * 1000)::float8 as start_ms,
             to_char(b.start_at at time zone ${timeZone}, 'YYYY-MM-DD') as day,
             to_char(b.start_at at time zone ${timeZone}, 'HH24:MI') as time,
             coalesce((select json_agg(json_build_object('childId', c.id, 'familyName', c.family_name,
                                 'givenName', c.given_name, 'className', c.class_name, 'mood', clc.mood)
                                 order by c.family_name, c.given_name, c.id)
                         from booking_children bc
                         cross join lateral (select ch.id, ch.family_name, ch.given_name, ch.class_name
                                               from children ch where ch.id = bc.child_id offset 0) c
                         left join lateral (select m.mood from call_log_children m
                                             where m.call_log_id = cl.id and m.child_id = bc.child_id offset 0) clc
                           on true
                        where bc.booking_id = b.id), '[]'::json) as children,
             (select json_agg(json_build_object('contactId', ct.id, 'name', ct.name, 'relation', ct.relation)
                              order by ct.id = b.contact_id desc, ct.id)
                from contacts ct where ct.id in (b.contact_id, b.second_contact_id)) as contacts,
             coalesce(cl.overlap_seconds, 0) as seconds,
             ${OUTCOME_SQL} as outcome
        from bookings b
        left join lateral (select l.id, l.outcome, l.overlap_seconds from call_logs l
                            where l.booking_id = b.id offset 0) cl on true
       where b.home_id = ${homeId} and b.status in ${BOOKED_STATUSES_SQL}
         and b.start_at >= ${periodStart} and b.start_at < ${periodEnd}${after}
       order by b.start_at, b.id
       limit ${page.limit}`,
  );
  let total: number | null = null;
  if (page.withTotal !== false) {
    const [count] = await selectRows<{ total: number | string }>(
      db,
      sql`select count(*) as total from bookings b
           where b.home_id = ${homeId} and b.status in ${BOOKED_STATUSES_SQL}
             and b.start_at >= ${periodStart} and b.start_at < ${periodEnd}`,
    );
    total = Number(count?.total ?? 0);
  }
  return {
    total,
    items: rows.map((row) => ({
      bookingId: row.id,
      startAt: new Date(Number(row.start_ms)),
      date: row.day,
      time: row.time,
      children: parseJson(row.children),
      contacts: parseJson(row.contacts),
      seconds: Number(row.seconds),
      outcome: row.outcome,
    })),
  };
}

/** A pairing with the growth diary entries its teacher wrote on the child in the period. */
export interface PairingRecordEntry {
  pairingId: string;
  staffId: string;
  staffName: string;
  childId: string;
  familyName: string;
  givenName: string;
  className: string | null;
  /** `YYYY-MM-DD`, Home's zone. */
  pairedOn: string;
  diary: {
    entryId: string;
    date: string;
    authorName: string | null;
    text: string;
    mood: number | null;
    tags: ('study' | 'emotion' | 'health' | 'family')[];
  }[];
}

/**
 * The pairing records (结对帮扶记录): each pairing made before the period's end whose child was on the roll in it,
 * by teacher and child, with the diary entries the paired teacher wrote on the child dated in the period.
 */
export async function listPairingRecords(
  db: Db,
  homeId: string,
  timeZone: string,
  period: ReportPeriod,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: PairingRecordEntry[] }> {
  const periodStart = zonedDayStart(sql`${period.from}`, timeZone);
  const periodEnd = zonedDayStart(sql`${period.to}::date + 1`, timeZone);
  const rows = await selectRows<{
    id: string;
    staff_id: string;
    staff_name: string;
    child_id: string;
    family_name: string;
    given_name: string;
    class_name: string | null;
    paired_on: string;
    diary: PairingRecordEntry['diary'] | string;
    total: number | string;
  }>(
    db,
    sql`with chosen as (
        select p.id, p.staff_id, s.display_name as staff_name, p.child_id, c.family_name, c.given_name, c.class_name,
               to_char(p.created_at at time zone ${timeZone}, 'YYYY-MM-DD') as paired_on
          from pairings p join staff s on s.id = p.staff_id join children c on c.id = p.child_id
         where p.home_id = ${homeId} and c.erased_at is null and p.created_at < ${periodEnd}
           and c.created_at < ${periodEnd} and (c.archived_at is null or c.archived_at >= ${periodStart})),
      paged as (select *, count(*) over () as total from chosen
                order by staff_name, staff_id, class_name nulls last, family_name, given_name, child_id
                limit ${page.limit} offset ${page.offset})
      select p.*,
             coalesce((select json_agg(json_build_object('entryId', d.id, 'date', to_char(d.entry_date, 'YYYY-MM-DD'),
                                 'authorName', s.display_name, 'text', d.text, 'mood', d.mood, 'tags', d.tags)
                                 order by d.entry_date, d.created_at, d.id)
                         from diary_entries d left join staff s on s.id = d.staff_id
                        where d.child_id = p.child_id and d.staff_id = p.staff_id
                          and d.entry_date between ${period.from}::date and ${period.to}::date), '[]'::json) as diary
        from paged p
       order by p.staff_name, p.staff_id, p.class_name nulls last, p.family_name, p.given_name, p.child_id`,
  );
  let total = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && page.offset > 0) {
    const [count] = await selectRows<{ total: number | string }>(
      db,
      sql`select count(*) as total from pairings p join children c on c.id = p.child_id
           where p.home_id = ${homeId} and c.erased_at is null and p.created_at < ${periodEnd}
             and c.created_at < ${periodEnd} and (c.archived_at is null or c.archived_at >= ${periodStart})`,
    );
    total = Number(count?.total ?? 0);
  }
  return {
    total,
    items: rows.map((row) => ({
      pairingId: row.id,
      staffId: row.staff_id,
      staffName: row.staff_name,
      childId: row.child_id,
      familyName: row.family_name,
      givenName: row.given_name,
      className: row.class_name,
      pairedOn: row.paired_on,
      diary: parseJson(row.diary),
    })),
  };
}

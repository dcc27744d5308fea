import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { selectRows } from '../select-rows.ts';

const DAY_MS = 86_400_000;

/** A teacher paired with a child, as an alert addresses them. */
export interface PairedTeacher {
  staffId: string;
  displayName: string;
  /** E.164, or null when the teacher gave none (no SMS then). */
  phone: string | null;
}

/** A child who has not talked with family for too long. */
export interface NoContactChild {
  childId: string;
  householdId: string;
  familyName: string;
  givenName: string;
  /** Start of the child's last completed call; null when there was none. */
  lastCallAt: Date | null;
  /** What the wait is counted from: the last completed call, else when the child's record was made. */
  since: Date;
  /** Whole days from `since` to now. */
  daysWithoutContact: number;
  /** Active teachers paired with the child, by name. */
  pairedTeachers: PairedTeacher[];
}

type ChildColumns = {
  child_id: string;
  household_id: string;
  family_name: string;
  given_name: string;
  created_ms: number | string;
  last_call_ms: number | string | null;
  teachers: PairedTeacher[] | string;
};

/**
 * The Home's active children (not archived, not erased) without a completed call for `days` days or more, longest
 * wait first: counted from the start of the last completed call, or from when the child's record was made when
 * there was none (a child enrolled yesterday is not yet forgotten). Each with the active teachers paired with them.
 *
 * @example await listNoContactChildren(db, homeId, { now, days: home.noContactAlertDays })
 */
export async function listNoContactChildren(
  db: Db,
  homeId: string,
  options: { now: Date; days: number },
): Promise<NoContactChild[]> {
  const rows = await selectRows<ChildColumns>(
    db,
    sql`select c.id as child_id, c.household_id, c.family_name, c.given_name,
          floor(extract(epoch from c.created_at) * 1000)::float8 as created_ms,
          (select floor(extract(epoch from max(b.start_at)) * 1000)::float8
             from booking_children bc join bookings b on b.id = bc.booking_id
            where bc.child_id = c.id and b.status = 'completed') as last_call_ms,
          coalesce((select json_agg(json_build_object('staffId', s.id, 'displayName', s.display_name, 'phone', s.phone)
                      order by s.display_name, s.id)
                      from pairings p join staff s on s.id = p.staff_id
                     where p.child_id = c.id and s.active), '[]'::json) as teachers
        from children c
       where c.home_id = ${homeId} and c.archived_at is null and c.erased_at is null`,
  );
  const nowMs = options.now.getTime();
  return rows
    .map((row): NoContactChild => {
      const lastCallAt = row.last_call_ms === null ? null : new Date(Number(row.last_call_ms));
      const since = lastCallAt ?? new Date(Number(row.created_ms));
      return {
        childId: row.child_id,
        householdId: row.household_id,
        familyName: row.family_name,
        givenName: row.given_name,
        lastCallAt,
        since,
        daysWithoutContact: Math.floor((nowMs - since.getTime()) / DAY_MS),
        pairedTeachers: typeof row.teachers === 'string' ? (JSON.parse(row.teachers) as PairedTeacher[]) : row.teachers,
      };
    })
    .filter((child) => child.daysWithoutContact >= options.days)
    .sort(
      (a, b) =>
        b.daysWithoutContact - a.daysWithoutContact ||
        a.since.getTime() - b.since.getTime() ||
        (a.childId < b.childId ? -1 : a.childId > b.childId ? 1 : 0),
    );
}

/**
 * The start of each child's last completed call in a Home (children with none are absent): what the weekly
 * scheduler measures waits from.
 */
export async function listLastCompletedCalls(db: Db, homeId: string): Promise<Map<string, Date>> {
  const rows = await selectRows<{ child_id: string; last_ms: number | string }>(
    db,
    sql`select bc.child_id, floor(extract(epoch from max(b.start_at)) * 1000)::float8 as last_ms
          from booking_children bc join bookings b on b.id = bc.booking_id
         where b.home_id = ${homeId} and b.status = 'completed'
         group by bc.child_id`,
  );
  return new Map(rows.map((row) => [row.child_id, new Date(Number(row.last_ms))]));
}

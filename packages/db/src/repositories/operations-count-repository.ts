import { sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { selectRows } from '../select-rows.ts';

/** One count of rows of a Home, by one state (an SMS status, a call outcome). */
export interface HomeStateCount {
  /** The Home's id; `null` for an SMS kept for no Home (a reply from an unknown number). */
  homeId: string | null;
  state: string;
  count: number;
}

/** What the operations metrics count in the database: states and Home ids only, never a person. */
export interface OperationsCounts {
  /** SMS messages (out and in) by Home and status. */
  smsByStatus: HomeStateCount[];
  /** Call logs by Home and outcome; `open` for a call whose outcome is not known yet. */
  callsByOutcome: HomeStateCount[];
  /** Bookings in progress (a call's room open now) by Home; `state` is `in-progress`. */
  activeRooms: HomeStateCount[];
}

/**
 * Counts SMS by status, call logs by outcome and bookings in progress, each per Home, in one round trip of three
 * grouped queries. Meant for a metrics scrape behind a cache: it reads whole tables (grouped), not one Home.
 *
 * @example const { smsByStatus } = await countOperations(db); // [{ homeId: 'hom_…', state: 'sent', count: 12 }, …]
 */
export async function countOperations(db: Db): Promise<OperationsCounts> {
  const rows = await selectRows<{ kind: string; home_id: string | null; state: string; n: number | string }>(
    db,
    sql`select 'sms' as kind, home_id, status as state, count(*)::int as n
          from sms_messages group by home_id, status
        union all
        select 'call', home_id, coalesce(outcome, 'open'), count(*)::int
          from call_logs group by home_id, outcome
        union all
        select 'room', home_id, status, count(*)::int
          from bookings where status = 'in-progress' group by home_id, status`,
  );
  const counts: OperationsCounts = { smsByStatus: [], callsByOutcome: [], activeRooms: [] };
  for (const row of rows) {
    const entry = { homeId: row.home_id, state: row.state, count: Number(row.n) };
    if (row.kind === 'sms') counts.smsByStatus.push(entry);
    else if (row.kind === 'call') counts.callsByOutcome.push(entry);
    else counts.activeRooms.push(entry);
  }
  return counts;
}

import type { SQL } from 'drizzle-orm';
import type { Db } from './database.ts';

/**
 * Runs raw SQL and returns its rows, the same on PGlite and node-postgres (both answer with
 * `{ rows }`). For the few queries the query builder cannot express.
 */
export async function selectRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

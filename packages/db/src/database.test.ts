import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, EMBEDDED_POSTGRES_SETTINGS, openDatabase } from './database.ts';
import { selectRows } from './select-rows.ts';

describe('openDatabase (embedded)', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('runs PGlite with the smaller memory settings and still answers queries', async () => {
    database = await openDatabase({ kind: 'pglite' });
    const [row] = await selectRows<{ shared_buffers: string; work_mem: string; maintenance_work_mem: string }>(
      database.db,
      sql`select current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
        current_setting('maintenance_work_mem') as maintenance_work_mem`,
    );
    expect(row).toEqual({ shared_buffers: '16MB', work_mem: '2MB', maintenance_work_mem: '16MB' });
    expect(EMBEDDED_POSTGRES_SETTINGS).toContain('shared_buffers=16MB');
    // A sort larger than work_mem spills to disk and still completes.
    const [sorted] = await selectRows<{ total: number }>(
      database.db,
      sql`select count(*)::int as total from (select n from generate_series(1, 200000) as n order by md5(n::text)) as s`,
    );
    expect(sorted?.total).toBe(200_000);
  });
});

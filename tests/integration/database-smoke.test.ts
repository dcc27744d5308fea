import { selectRows } from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('database (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('runs SQL on a real engine', async () => {
    const [row] = await selectRows<{ version: string; sum: number }>(
      database.db,
      sql`select version() as version, (40 + 2)::int as sum`,
    );
    expect(row?.sum).toBe(42);
    expect(row?.version).toMatch(/^PostgreSQL \d+/);
  });

  it('has applied the committed migrations and btree_gist', async () => {
    const tables = await selectRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((r) => r.table_name)).toContain('homes');
    await database.db.execute(sql`create extension if not exists btree_gist`);
    const extensions = await selectRows<{ extname: string }>(database.db, sql`select extname from pg_extension`);
    expect(extensions.map((r) => r.extname)).toContain('btree_gist');
  });

  it('enforces the schema checks', async () => {
    await expect(
      database.db.execute(sql`insert into homes (id, name, slot_minutes) values ('hom_bad', 'x', 0)`),
    ).rejects.toThrow();
  });
});

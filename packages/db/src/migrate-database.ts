import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './database.ts';

/** The committed SQL migrations, applied identically to PGlite and PostgreSQL. */
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

/**
 * The PostgreSQL advisory lock (a session lock, one bigint key) held while migrating, so that two processes
 * migrating one database at once take turns: the second waits, then finds nothing left to apply.
 */
export const MIGRATION_LOCK_KEY = 7_140_295_183_001n;

/** What {@link migrateDatabase} did. */
export interface MigrationResult {
  /** Migrations applied by this call (0 when the database was already up to date). */
  applied: number;
  /** Migrations in the committed folder. */
  total: number;
  /** Whether the call had to wait for another process's migration to finish first (PostgreSQL only). */
  waitedForLock: boolean;
}

/** Options for {@link migrateDatabase}. */
export interface MigrateDatabaseOptions {
  /** Called once when another process holds the migration lock, before waiting for it. */
  onWaiting?: () => void;
}

/** The `created_at` of the newest applied migration, or `null` when none was applied (or the table is absent). */
async function lastAppliedMillis(database: Database): Promise<number | null> {
  const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
  const table = rowsOf<{ present: boolean }>(
    await database.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`),
  );
  if (!table[0]?.present) return null;
  const last = rowsOf<{ last: string | null }>(
    await database.db.execute(sql`select max(created_at)::text as last from drizzle.__drizzle_migrations`),
  )[0]?.last;
  return last == null ? null : Number(last);
}

/**
 * The committed migrations the database has not applied yet (by their folder's timestamps, as the migrator
 * decides): empty when the schema is current.
 */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const last = await lastAppliedMillis(database);
  return readMigrationFiles({ migrationsFolder })
    .filter((migration) => last === null || migration.folderMillis > last)
    .map((migration) => migration.hash);
}

/**
 * Applies every pending migration; safe to run on every start and from several processes at once. On PostgreSQL
 * it runs on one connection holding the advisory lock {@link MIGRATION_LOCK_KEY}: a second process migrating the
 * same database waits for the first (`onWaiting` is told), then applies nothing. PGlite belongs to one process
 * (the `DATA_DIR` lock), so it needs no lock.
 */
export async function migrateDatabase(
  database: Database,
  options: MigrateDatabaseOptions = {},
): Promise<MigrationResult> {
  const total = readMigrationFiles({ migrationsFolder }).length;
  if (database.kind === 'pglite' || !database.pool) {
    const before = (await pendingMigrations(database)).length;
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
    return { applied: before, total, waitedForLock: false };
  }
  const client = await database.pool.connect();
  let waitedForLock = false;
  try {
    const key = MIGRATION_LOCK_KEY.toString();
    const tried = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key]);
    if (!tried.rows[0]?.locked) {
      waitedForLock = true;
      options.onWaiting?.();
      await client.query('select pg_advisory_lock($1::bigint)', [key]);
    }
    try {
      const locked = drizzlePg({ client }) as unknown as NodePgDatabase;
      const onLocked = { ...database, db: locked as unknown as Database['db'] };
      const applied = (await pendingMigrations(onLocked)).length;
      if (applied > 0) await migratePg(locked, { migrationsFolder });
      return { applied, total, waitedForLock };
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [key]);
    }
  } finally {
    client.release();
  }
}

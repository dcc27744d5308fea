import path from 'node:path';
import type { AppConfig } from '@affection/config';
import { type Database, migrateDatabase, openDatabase, pendingMigrations } from '@affection/db';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';

/** Options for {@link openConfiguredDatabase}. */
export interface OpenConfiguredDatabaseOptions {
  /**
   * The lock on `DATA_DIR` this process already holds (`npm start` takes it before starting its Redis there); it is
   * released when the database closes. Without it, opening the embedded database takes the lock itself.
   */
  dataDirLock?: DataDirLock;
  /** Pool size of a PostgreSQL server. Default the database package's. */
  maxConnections?: number;
  /**
   * Apply pending migrations (default true). When false, a database with migrations pending is refused with
   * {@link DatabaseNotMigratedError}: production runs `npm run db:migrate` once before starting its processes.
   */
  migrate?: boolean;
}

/** The database has committed migrations it has not applied, and this process was not told to apply them. */
export class DatabaseNotMigratedError extends Error {
  constructor(readonly pending: number) {
    super(
      `The database has ${pending} migration(s) not applied yet: run \`npm run db:migrate\` ` +
        '(or `node apps/server/dist/db-migrate.js`) once, then start again; or start with --migrate.',
    );
    this.name = 'DatabaseNotMigratedError';
  }
}

/**
 * Whether a server or worker process applies pending migrations as it starts: yes outside production (tests, local
 * runs); in production (`NODE_ENV=production`) only when started with `--migrate`, since production migrates once
 * with `npm run db:migrate` before starting its processes (a database left behind is refused with that advice).
 */
export function migratesOnStart(config: AppConfig, argv: readonly string[]): boolean {
  return config.nodeEnv !== 'production' || argv.includes('--migrate');
}

/** Migrates the database, or (when told not to) checks that nothing is pending. */
async function migrateOrCheck(database: Database, migrate: boolean): Promise<void> {
  if (migrate) {
    await migrateDatabase(database);
    return;
  }
  const pending = await pendingMigrations(database);
  if (pending.length > 0) throw new DatabaseNotMigratedError(pending.length);
}

/**
 * Opens the database named by the config — the PostgreSQL server of `DATABASE_URL`, or the embedded PGlite in
 * `DATA_DIR/pglite` under the folder's exclusive lock (a second process on the same folder is refused with
 * `DataDirLockedError`) — and migrates it (unless `migrate: false`, which only checks). Closing it releases the lock.
 */
export async function openConfiguredDatabase(
  config: AppConfig,
  options: OpenConfiguredDatabaseOptions = {},
): Promise<Database> {
  if (config.databaseUrl) {
    const database = await openDatabase({
      kind: 'postgres',
      url: config.databaseUrl,
      ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    });
    try {
      await migrateOrCheck(database, options.migrate ?? true);
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }
  const lock = options.dataDirLock ?? (await lockDataDir(config.dataDir));
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
    try {
      await migrateOrCheck(database, options.migrate ?? true);
    } catch (error) {
      await database.close();
      throw error;
    }
    return {
      ...database,
      async close() {
        try {
          await database.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

import path from 'node:path';
import type { AppConfig } from '@affection/config';
import { type Database, migrateDatabase, openDatabase } from '@affection/db';
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
}

/**
 * Opens the database named by the config — the PostgreSQL server of `DATABASE_URL`, or the embedded PGlite in
 * `DATA_DIR/pglite` under the folder's exclusive lock (a second process on the same folder is refused with
 * `DataDirLockedError`) — and migrates it. Closing it releases the lock.
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
    await migrateDatabase(database);
    return database;
  }
  const lock = options.dataDirLock ?? (await lockDataDir(config.dataDir));
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
    await migrateDatabase(database);
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

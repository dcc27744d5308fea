/**
 * `npm run db:migrate`: applies the committed migrations to the configured database once and exits (production
 * migrates with this before starting its server and worker processes, which do not migrate on their own there).
 * On PostgreSQL (`DATABASE_URL`) it holds an advisory lock while it migrates: a second `db:migrate` at the same
 * time waits for the first, then finds nothing to apply; both exit 0. The embedded database (PGlite in `DATA_DIR`)
 * is taken under the folder's lock, so it is refused while `npm start` runs on it.
 * Built for production as `apps/server/dist/db-migrate.js` (`npm run build`), run with plain `node`.
 */
import path from 'node:path';
import { type Database, migrateDatabase, openDatabase } from '@affection/db';
import { type DataDirLock, lockDataDir } from '@affection/runtime';
import { readStartConfig } from './env.ts';

let database: Database;
let lock: DataDirLock | undefined;
try {
  const config = readStartConfig();
  if (config.databaseUrl) {
    database = await openDatabase({ kind: 'postgres', url: config.databaseUrl, maxConnections: 1 });
  } else {
    lock = await lockDataDir(config.dataDir);
    database = await openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
  }
} catch (error) {
  lock?.release();
  console.error((error as Error).message);
  process.exit(1);
}
try {
  const result = await migrateDatabase(database, {
    onWaiting: () => console.log('Another process is migrating this database: waiting for it to finish.'),
  });
  console.log(
    result.applied === 0
      ? `The database is up to date (${result.total} migrations); nothing to apply.`
      : `Applied ${result.applied} migration(s); the database is up to date (${result.total} migrations).`,
  );
} catch (error) {
  // The database's own words (drizzle wraps them in a "Failed query" error as its cause).
  const cause = (error as Error).cause as Error | undefined;
  console.error(`Migrating the database failed: ${cause?.message ?? (error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
  lock?.release();
}

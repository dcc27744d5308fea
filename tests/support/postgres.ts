import { randomBytes } from 'node:crypto';
import { type Database, migrateDatabase, openDatabase } from '@affection/db';
import pg from 'pg';
import { testEnv } from './env.ts';

/** A throwaway database on the PostgreSQL server, dropped by `drop()`. */
export interface TestPostgres {
  url: string;
  name: string;
  drop(): Promise<void>;
}

const POSTGRES_HINT =
  'Start a PostgreSQL server (Debian: sudo apt-get install -y postgresql && sudo pg_ctlcluster 15 main start) ' +
  'or point TEST_DATABASE_URL at one.';

/**
 * Creates an empty database with a unique name on the server named by `TEST_DATABASE_URL`
 * (default the local server on 127.0.0.1:5432).
 */
export async function createTestPostgres(): Promise<TestPostgres> {
  const admin = new pg.Client({ connectionString: testEnv.postgresUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`Cannot reach PostgreSQL at ${testEnv.postgresUrl}: ${(error as Error).message}. ${POSTGRES_HINT}`);
  }
  const name = `affection_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(testEnv.postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: testEnv.postgresUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The two databases every repository test runs on. */
export type TestDatabaseKind = 'pglite' | 'postgres';

/** An open, migrated database for tests; `close()` also drops a server database. */
export interface TestDatabase extends Database {
  close(): Promise<void>;
}

/**
 * Opens a migrated database of the given kind: PGlite in memory, or a throwaway database
 * on the PostgreSQL server.
 */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite' });
    await migrateDatabase(database);
    return database;
  }
  const server = await createTestPostgres();
  const database = await openDatabase({ kind: 'postgres', url: server.url });
  await migrateDatabase(database);
  return {
    ...database,
    async close() {
      await database.close();
      await server.drop();
    },
  };
}

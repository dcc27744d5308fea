import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema/index.ts';

/** The Drizzle database both drivers share. Repositories take this first. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Where the system of record lives. */
export type DatabaseOptions =
  | { kind: 'pglite' /** folder on disk; omit for in-memory */; dataDir?: string }
  | {
      kind: 'postgres';
      url: string;
      /** Pool size. Default 10. */
      maxConnections?: number;
      /**
       * How long a query waits for a connection (a new one, or a free one of the pool) before failing. Default
       * 10 000 ms. Without it a server that stopped answering (a network that drops packets) would hold every request.
       */
      connectTimeoutMs?: number;
    };

/** An open database with its driver-level handle. */
export interface Database {
  db: Db;
  kind: DatabaseOptions['kind'];
  /** Runs `select 1`; throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Only for PGlite: the embedded instance (used by the migrator). */
  readonly pglite: PGlite | undefined;
  readonly pool: pg.Pool | undefined;
  /**
   * Only for a PostgreSQL server: a new client with the pool's connection settings, not connected, outside the pool
   * (for a connection that stays in LISTEN, see `createDatabaseChangeFeed`).
   */
  newClient?: (applicationName: string) => pg.Client;
}

/**
 * PostgreSQL settings of the embedded database, after PGlite's own start parameters. PGlite runs PostgreSQL in the
 * process's WebAssembly memory, which grows and never shrinks, and PostgreSQL writes over all of its shared buffers at
 * start: the default 128 MB of `shared_buffers` became resident memory of `npm start` before the first query. A
 * Home's whole database is a few tens of MB and its files stay in the operating system's page cache, so 16 MB of
 * buffers (and smaller sort and maintenance memory) serve it; measured by `npm run bench -- memory`.
 */
export const EMBEDDED_POSTGRES_SETTINGS: readonly string[] = [
  'shared_buffers=16MB',
  'work_mem=2MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=2MB',
];

/** Opens PGlite with {@link EMBEDDED_POSTGRES_SETTINGS}. */
async function openPglite(dataDir: string | undefined): Promise<{ client: PGlite; db: Db }> {
  const options = {
    extensions: { btree_gist },
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_POSTGRES_SETTINGS.flatMap((setting) => ['-c', setting])],
  };
  const client = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
  await client.waitReady;
  return { client, db: drizzlePglite({ client, schema }) as unknown as Db };
}

/**
 * Opens PGlite (embedded, default) or a PostgreSQL server. It does not migrate: call
 * {@link migrateDatabase} once after opening.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'pglite') {
    const { client, db } = await openPglite(options.dataDir);
    return {
      db,
      kind: 'pglite',
      pglite: client,
      pool: undefined,
      async ping() {
        await db.execute(sql`select 1`);
      },
      async close() {
        await client.close();
      },
    };
  }
  const connection = { connectionString: options.url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 };
  const pool = new pg.Pool({ ...connection, max: options.maxConnections ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    pglite: undefined,
    pool,
    newClient: (applicationName) =>
      new pg.Client({ ...connection, keepAlive: true, application_name: applicationName }),
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
    },
  };
}

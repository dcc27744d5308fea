import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createBooking,
  type Database,
  getBooking,
  getChild,
  listHomes,
  migrateDatabase,
  migrationsFolder,
  openDatabase,
} from '@affection/db';
import { type ApiWorld, createApiWorld, createTestPostgres, type TestPostgres, testEnv } from '@affection/test-support';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** The major version a PostgreSQL client tool reports (`pg_dump (PostgreSQL) 15.20 (Debian …)` is 15). */
function clientMajorOf(versionLine: string): number | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(versionLine);
  return match ? Number(match[1]) : undefined;
}

/**
 * Why the client tools cannot be trusted with this server, or `undefined`: pg_dump and pg_restore must be of the
 * server's major version (docs/deploy.md, "Backups").
 */
function toolMismatch(tool: string, versionLine: string, serverVersionNum: number): string | undefined {
  const client = clientMajorOf(versionLine);
  const server = Math.floor(serverVersionNum / 10_000);
  if (client === server) return undefined;
  return (
    `${tool} is PostgreSQL ${client ?? `of an unknown version ("${versionLine.trim()}")`} but the server is ` +
    `PostgreSQL ${server}: install postgresql-client-${server} and put its ${tool} first on PATH`
  );
}

/** One value of a query on the database's pool (both databases here are PostgreSQL). */
async function queryValue(database: Database, text: string): Promise<string> {
  if (!database.pool) throw new Error('a PostgreSQL database was expected');
  const result = await database.pool.query<Record<string, string>>(text);
  return Object.values(result.rows[0] ?? {})[0] ?? '';
}

async function serverVersionNum(database: Database): Promise<number> {
  return Number(await queryValue(database, 'show server_version_num'));
}

/** Fails with one clear line when the installed pg_dump / pg_restore do not match the server's major version. */
async function requireMatchingTools(database: Database): Promise<void> {
  const server = await serverVersionNum(database);
  for (const tool of ['pg_dump', 'pg_restore']) {
    const { stdout } = await run(tool, ['--version']).catch((error: Error) => {
      throw new Error(`${tool} is not installed (Debian: apt-get install postgresql-client): ${error.message}`);
    });
    const problem = toolMismatch(tool, stdout, server);
    if (problem) throw new Error(problem);
  }
}

/** The url of the world's own throwaway database, on the test server. */
async function urlOf(database: Database): Promise<string> {
  const url = new URL(testEnv.postgresUrl);
  url.pathname = `/${await queryValue(database, 'select current_database()')}`;
  return url.toString();
}

async function appliedMigrations(database: Database): Promise<number> {
  return Number(await queryValue(database, 'select count(*)::text from drizzle.__drizzle_migrations'));
}

describe('toolMismatch (pg_dump and pg_restore against the server)', () => {
  it('accepts the same major version and refuses another with what to install', () => {
    expect(toolMismatch('pg_dump', 'pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n', 150_020)).toBeUndefined();
    expect(toolMismatch('pg_dump', 'pg_dump (PostgreSQL) 15.20\n', 170_002)).toBe(
      'pg_dump is PostgreSQL 15 but the server is PostgreSQL 17: install postgresql-client-17 and put its pg_dump ' +
        'first on PATH',
    );
    expect(toolMismatch('pg_restore', 'pg_restore (PostgreSQL) 17.1\n', 150_020)).toContain(
      'pg_restore is PostgreSQL 17 but the server is PostgreSQL 15',
    );
    expect(toolMismatch('pg_dump', 'something else', 150_020)).toContain('of an unknown version');
  });
});

describe('backup with pg_dump and a restore drill', () => {
  let world: ApiWorld;
  let restoredServer: TestPostgres;
  let restored: Database;
  let folder: string;
  let bookingId: string;

  beforeAll(async () => {
    world = await createApiWorld('postgres');
    folder = await mkdtemp(path.join(os.tmpdir(), 'affection-backup-'));
    const now = world.services.now();
    const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000 + 86_400_000);
    const booked = await createBooking(world.database.db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      childIds: [world.a.child.id],
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now,
    });
    if (!booked.ok) throw new Error(`booking refused: ${booked.reason}`);
    bookingId = booked.booking.id;

    await requireMatchingTools(world.database);
    // As docs/deploy.md says: a custom-format dump of the live database, restored into a new, empty one.
    const dumpFile = path.join(folder, 'affection.dump');
    await run('pg_dump', ['--format=custom', `--file=${dumpFile}`, `--dbname=${await urlOf(world.database)}`]);
    restoredServer = await createTestPostgres();
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${restoredServer.url}`, dumpFile]);
    restored = await openDatabase({ kind: 'postgres', url: restoredServer.url });
  });
  afterAll(async () => {
    await restored?.close();
    await restoredServer?.drop();
    await world?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('brings back both Homes', async () => {
    const homes = await listHomes(restored.db);
    expect(homes.map((home) => [home.id, home.name])).toEqual([
      [world.a.home.id, world.a.home.name],
      [world.b.home.id, world.b.home.name],
    ]);
  });

  it('brings back the children, each still inside its own Home', async () => {
    expect(await getChild(restored.db, world.a.home.id, world.a.child.id)).toEqual(
      await getChild(world.database.db, world.a.home.id, world.a.child.id),
    );
    expect((await getChild(restored.db, world.b.home.id, world.b.child.id))?.givenName).toBe(world.b.child.givenName);
    expect(await getChild(restored.db, world.b.home.id, world.a.child.id)).toBeNull();
  });

  it('brings back the booking as it was', async () => {
    const original = await getBooking(world.database.db, world.a.home.id, bookingId);
    const back = await getBooking(restored.db, world.a.home.id, bookingId);
    expect(back).toEqual(original);
    expect(back?.status).toBe('confirmed');
  });

  it('keeps the migrations table: the restored database is up to date and migrating it applies nothing', async () => {
    const journal = JSON.parse(await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(await appliedMigrations(restored)).toBe(journal.entries.length);
    await migrateDatabase(restored);
    expect(await appliedMigrations(restored)).toBe(journal.entries.length);
  });

  it('is a copy: a change to the live database after the dump is not in the restored one', async () => {
    await world.database.db.execute(sql`update homes set name = '改过的名字' where id = ${world.b.home.id}`);
    const [, homeB] = await listHomes(restored.db);
    expect(homeB?.name).toBe(world.b.home.name);
  });
});

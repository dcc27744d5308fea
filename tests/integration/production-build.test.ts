import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHome, createStaff, openDatabase } from '@affection/db';
import {
  createTestPostgres,
  getFreeTcpPort,
  type RedisServer,
  type RunToEnd,
  runNodeToEnd,
  spawnUntilReady,
  startRedis,
  type TestPostgres,
  testEnv,
} from '@affection/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../apps/server/src/main.ts';

const root = path.resolve(import.meta.dirname, '../..');
const serverBundle = path.join(root, 'apps/server/dist/main.js');
const workerBundle = path.join(root, 'apps/worker/dist/main.js');
const migrateBundle = path.join(root, 'apps/server/dist/db-migrate.js');
/** The committed migrations, from the migration folder's journal. */
const committedMigrations = (
  JSON.parse(readFileSync(path.join(root, 'packages/db/migrations/meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  }
).entries;

/** Runs a built file with plain node to its end: exit code and everything it printed. */
function runBuilt(file: string, env: NodeJS.ProcessEnv): Promise<RunToEnd> {
  return runNodeToEnd([file], env);
}

/** A process's command line, as the machine sees it. */
async function commandLine(pid: number): Promise<string[]> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
}

/** The rows of drizzle's migration table. */
async function migrationRows(url: string): Promise<{ hash: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by id')).rows;
  } finally {
    await client.end();
  }
}

describe('the production build (npm run build): server and workers as plain node on dist/main.js', () => {
  let redis: RedisServer;
  let dataDir: string;
  const databases: TestPostgres[] = [];
  const newDatabase = async () => {
    const database = await createTestPostgres();
    databases.push(database);
    return database;
  };
  const productionEnv = (database: TestPostgres, variables: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: testEnv.searchPath,
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://call.example.org',
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    DATA_DIR: dataDir,
    ...variables,
  });

  beforeAll(async () => {
    // The build the package scripts run (`npm run build` → turbo → each app's build).
    for (const app of ['server', 'worker']) {
      await promisify(execFile)(process.execPath, [path.join(root, 'scripts/build-node.ts'), app], { cwd: root });
    }
    redis = await startRedis();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-production-'));
  }, 120_000);
  afterAll(async () => {
    await redis?.stop();
    await Promise.all(databases.map((database) => database.drop()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('two db:migrate at once on a fresh database: both exit 0, one applies every migration, the other nothing', async () => {
    const database = await newDatabase();
    const env = productionEnv(database);
    const [first, second] = await Promise.all([runBuilt(migrateBundle, env), runBuilt(migrateBundle, env)]);
    expect(first.code, first.out).toBe(0);
    expect(second.code, second.out).toBe(0);
    const applied = [first, second].filter((run) => run.out.includes('Applied'));
    const found = [first, second].filter((run) => run.out.includes('nothing to apply'));
    expect(applied).toHaveLength(1);
    expect(applied[0]?.out).toContain(`Applied ${committedMigrations.length} migration(s)`);
    expect(found).toHaveLength(1);
    expect(`${first.out}\n${second.out}`).not.toMatch(/error|failed/i);
    const rows = await migrationRows(database.url);
    expect(rows).toHaveLength(committedMigrations.length);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(committedMigrations.length);
    // A third run later finds nothing either.
    const again = await runBuilt(migrateBundle, env);
    expect(again.code).toBe(0);
    expect(again.out).toContain('nothing to apply');
    expect(await migrationRows(database.url)).toHaveLength(committedMigrations.length);
  });

  it('in production the server and the workers refuse a database that is not migrated, naming db:migrate', async () => {
    const database = await newDatabase();
    for (const bundle of [serverBundle, workerBundle]) {
      const { code, out } = await runBuilt(bundle, productionEnv(database, { PORT: String(await getFreeTcpPort()) }));
      expect(code, out).toBe(1);
      expect(out).toContain(`The database has ${committedMigrations.length} migration(s) not applied yet`);
      expect(out).toContain('npm run db:migrate');
    }
    // Neither created a table: the database is as empty as before.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const tables = await client.query(`select 1 from information_schema.tables where table_schema = 'public'`);
      expect(tables.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('the built server answers /healthz and signs a member of staff in, run by plain node; the built workers start and stop', async () => {
    const database = await newDatabase();
    expect((await runBuilt(migrateBundle, productionEnv(database))).code).toBe(0);
    const opened = await openDatabase({ kind: 'postgres', url: database.url });
    try {
      const home = await createHome(opened.db, { name: '生产构建之家' });
      await createStaff(opened.db, home.id, {
        role: 'admin',
        displayName: '管理员',
        username: 'prod.admin',
        phone: null,
        passwordHash: await hashPassword('a long production password'),
      });
    } finally {
      await opened.close();
    }

    const port = await getFreeTcpPort();
    const server = await spawnUntilReady({
      command: process.execPath,
      args: [serverBundle],
      env: productionEnv(database, { PORT: String(port) }),
      label: 'built server',
      readyWhen: (line) => line.includes('server listening'),
      timeoutMs: 60_000,
    });
    const worker = await spawnUntilReady({
      command: process.execPath,
      args: [workerBundle],
      env: productionEnv(database),
      label: 'built worker',
      readyWhen: (line) => line.includes('workers started'),
      timeoutMs: 60_000,
    });
    try {
      // Plain node on the bundle: no tsx loader, no TypeScript source run.
      for (const [running, bundle] of [
        [server, serverBundle],
        [worker, workerBundle],
      ] as const) {
        const argv = await commandLine(running.child.pid as number);
        expect(argv).toEqual([process.execPath, bundle]);
      }
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', checks: { db: 'ok', redis: 'ok', livekit: 'disabled' } });
      expect(health.status).toBe(200);

      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://call.example.org' },
        body: JSON.stringify({ login: 'prod.admin', password: 'a long production password' }),
      });
      expect(login.status, await login.clone().text()).toBe(200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]);
      const me = await fetch(`http://127.0.0.1:${port}/api/auth/me`, { headers: { cookie: cookie.join('; ') } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ staff: { displayName: '管理员', role: 'admin' } });
      const wrong = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://call.example.org' },
        body: JSON.stringify({ login: 'prod.admin', password: 'not the password at all' }),
      });
      expect(wrong.status).toBe(401);

      // The built API docs find swagger-ui-dist from the bundle, as the sources do.
      expect((await fetch(`http://127.0.0.1:${port}/api/docs`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  });
});

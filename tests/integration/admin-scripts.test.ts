import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, schema } from '@affection/db';
import { testEnv } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function run(script: string, args: string[], env: Record<string, string>, stdin = '') {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args], {
      env: { PATH: testEnv.searchPath, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('admin:create and seed:synthetic', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-scripts-'));
  });
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates the first admin and the Home in an empty database', async () => {
    const result = await run(
      'admin-create.ts',
      ['--username', 'principal', '--phone', '139 0000 1111'],
      { DATA_DIR: dataDir },
      'a long enough password\n',
    );
    expect(result.out).toMatch(/Created admin stf_[0-9a-z]{16} in 留守儿童之家/);
    expect(result.code).toBe(0);
  });

  it('refuses a taken username without printing the query or the hash', async () => {
    const result = await run(
      'admin-create.ts',
      ['--username', 'PRINCIPAL'],
      { DATA_DIR: dataDir },
      'another long password\n',
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('already taken');
    expect(result.out).not.toContain('argon2');
  });

  it('refuses a short password and a bad phone', async () => {
    expect((await run('admin-create.ts', ['--username', 'x'], { DATA_DIR: dataDir }, 'short\n')).code).toBe(2);
    const badPhone = await run('admin-create.ts', ['--phone', '12'], { DATA_DIR: dataDir }, 'a long enough password\n');
    expect(badPhone.code).toBe(2);
    expect(badPhone.out).toContain('not a valid phone number');
  });

  it('creates a district admin of the default district, or of a new one, who signs in with their district', async () => {
    const county = await run(
      'admin-create.ts',
      ['--district', '--username', 'county', '--name', '县教育局'],
      { DATA_DIR: dataDir },
      'a long enough password\n',
    );
    expect(county.out).toMatch(/Created district admin stf_[0-9a-z]{16} of district dst_0000000000000000/);
    expect(county.code).toBe(0);
    const fresh = await run(
      'admin-create.ts',
      ['--district', '--username', 'county2', '--district-name', '邻县'],
      { DATA_DIR: dataDir },
      'a long enough password\n',
    );
    expect(fresh.out).toMatch(/Created district admin stf_[0-9a-z]{16} of district dst_[0-9a-z]{16}\./);
    expect(fresh.out).not.toContain('dst_0000000000000000');
    expect(fresh.code).toBe(0);

    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
    try {
      const [row] = await database.db.select().from(schema.staff).where(eq(schema.staff.username, 'county'));
      expect(row).toMatchObject({ role: 'district-admin', homeId: null, districtId: 'dst_0000000000000000' });
    } finally {
      await database.close();
    }
  });

  it('refuses a district admin whose username a Home admin has, an unknown district, and a district id without --district', async () => {
    const taken = await run(
      'admin-create.ts',
      ['--district', '--username', 'Principal'],
      { DATA_DIR: dataDir },
      'a long enough password\n',
    );
    expect(taken.code).toBe(1);
    expect(taken.out).toContain('unique over the whole installation');
    expect(taken.out).not.toContain('argon2');
    const unknown = await run(
      'admin-create.ts',
      ['--district', '--username', 'nobody', '--district-id', 'dst_zzzzzzzzzzzzzzzz'],
      { DATA_DIR: dataDir },
      'a long enough password\n',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('No district with id dst_zzzzzzzzzzzzzzzz');
    const stray = await run('admin-create.ts', ['--username', 'x2', '--district-id', 'dst_0000000000000000'], {
      DATA_DIR: dataDir,
    });
    expect(stray.code).toBe(2);
  });

  it('seeds a synthetic Home of the asked size', async () => {
    const result = await run('seed-synthetic.ts', ['--children', '300', '--kiosks', '3'], { DATA_DIR: dataDir });
    expect(result.out).toMatch(/Seeded 300 children in \d+ households/);
    expect(result.code).toBe(0);
    expect((await run('seed-synthetic.ts', ['--children', 'many'], { DATA_DIR: dataDir })).code).toBe(2);
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE, DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

/** A real process that stays alive until killed: a lock holder other than this one. */
async function startHolder() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

describe('lockDataDir', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'affection-lock-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes this process id into the lock file and removes it on release', async () => {
    const lock = await lockDataDir(dataDir);
    const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    lock.release();
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses while another running process holds the folder, naming the folder and the process', async () => {
    const holder = await startHolder();
    try {
      await writeFile(path.join(dataDir, DATA_DIR_LOCK_FILE), `${holder.pid}\n2026-01-01T00:00:00.000Z\n`);
      const refused = await lockDataDir(dataDir).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toContain(dataDir);
      expect((refused as Error).message).toContain(`process ${holder.pid}`);
      expect((refused as Error).message).toMatch(/stop that process first, or set DATA_DIR/);
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
  });

  it('takes over a stale lock left by a process that no longer runs', async () => {
    const holder = await startHolder();
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
    await writeFile(file, `${holder.pid}\n2026-01-01T00:00:00.000Z\n`);
    const lock = await lockDataDir(dataDir);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file that holds no process id (a crash while it was written)', async () => {
    await writeFile(path.join(dataDir, DATA_DIR_LOCK_FILE), '');
    const lock = await lockDataDir(dataDir);
    lock.release();
  });

  it('release removes the lock file only while it is still its own', async () => {
    const first = await lockDataDir(dataDir);
    const holder = await startHolder();
    try {
      // The file now names another process (it took over what it saw as stale): releasing must leave its lock alone.
      await writeFile(path.join(dataDir, DATA_DIR_LOCK_FILE), `${holder.pid}\n`);
      first.release();
      expect((await readFile(path.join(dataDir, DATA_DIR_LOCK_FILE), 'utf8')).split('\n')[0]).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
  });
});

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** The lock file's name inside `DATA_DIR`. */
export const DATA_DIR_LOCK_FILE = 'affection.lock';

/** Thrown by {@link lockDataDir} when another running process holds the folder. */
export class DataDirLockedError extends Error {
  readonly dataDir: string;
  readonly pid: number;
  constructor(dataDir: string, pid: number) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${pid} (another npm start, seed:synthetic or admin:create). ` +
        'The embedded database has one user at a time: stop that process first, or set DATA_DIR to another folder.',
    );
    this.name = 'DataDirLockedError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Folders this process holds (a lock file with our own id that is not here is a left-over of an earlier process). */
const heldHere = new Set<string>();

/** A held lock on a data folder. */
export interface DataDirLock {
  dataDir: string;
  /** Removes the lock file (once; also done when the process exits). */
  release(): void;
}

/** Whether a process with this id is running (one of another user counts as running). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the exclusive lock on `dataDir` (creating the folder): a file holding this process's id, created only if
 * absent. A lock left by a process that no longer runs (a crash, a power cut) is taken over; a lock held by a running
 * process throws {@link DataDirLockedError}. Every process that opens the embedded database or runs the embedded
 * Redis in the folder takes it first.
 *
 * @example const lock = await lockDataDir(config.dataDir); try { … } finally { lock.release(); }
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, DATA_DIR_LOCK_FILE);
  if (heldHere.has(file)) throw new DataDirLockedError(dataDir, process.pid);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder !== undefined && holder !== process.pid && isRunning(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Stale (its process is gone), unreadable (a crash while writing it), or left by an earlier process that had
      // our id: take it over.
      try {
        unlinkSync(file);
      } catch {
        // Another process removed it first; try again.
      }
      continue;
    }
    writeSync(fd, `${process.pid}\n${new Date().toISOString()}\n`);
    closeSync(fd);
    heldHere.add(file);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldHere.delete(file);
      process.off('exit', release);
      if (readHolder(file) === process.pid) {
        try {
          unlinkSync(file);
        } catch {
          // Already gone.
        }
      }
    };
    process.on('exit', release);
    return { dataDir, release };
  }
  const holder = readHolder(file);
  throw new DataDirLockedError(dataDir, holder ?? 0);
}

import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';

/** Whether `pid` runs a program whose command line names `program`. */
function isRunningProgram(pid: number, program: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program);
  } catch {
    // No /proc (not Linux): trust the pid file, which only our launcher writes.
    return true;
  }
}

/**
 * Stops a `program` left running by an earlier process that died without stopping it (killed with SIGKILL, out of
 * memory), named by the pid file it wrote: SIGTERM, then SIGKILL after `graceMs`. Two Redis servers on one data
 * folder would both write its AOF. Returns the stopped process id, or `undefined` when there was none.
 */
export async function stopLeftOver(pidFile: string, program: string, graceMs = 5_000): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isRunningProgram(pid, program)) {
    await rm(pidFile, { force: true });
    return undefined;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunningProgram(pid, program)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await rm(pidFile, { force: true });
  return pid;
}

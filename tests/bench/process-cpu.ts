import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (`getconf CLK_TCK`, 100 on every common kernel). */
export const CLOCK_TICKS = 100;

/** CPU milliseconds (user + system) a process has used so far, from `/proc`; NaN where it is not there. */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends serving `database`: processes whose title is
 * `postgres: … <database> …` (a process given the database's URL on its command line is not one); NaN without `/proc`.
 * A backend that exits meanwhile takes its share with it.
 */
export function postgresCpuMs(database: string): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
      try {
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!title.startsWith('postgres:') || !title.includes(database)) continue;
        total += processCpuMs(Number(pid)) || 0;
      } catch {}
    }
  } catch {
    return Number.NaN;
  }
  return total;
}

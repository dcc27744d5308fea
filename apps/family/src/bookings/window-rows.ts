/** One weekly window being edited: in the parent's own zone, with a key that survives reordering. */
export interface WindowRow {
  key: number;
  weekday: number;
  startTime: string;
  endTime: string;
}

/** A row's own problem before anything is sent: a time left empty, or an end not after the start. */
export function rowProblem(row: WindowRow): 'missing' | 'order' | null {
  if (!/^\d\d:\d\d$/.test(row.startTime) || !/^\d\d:\d\d$/.test(row.endTime)) return 'missing';
  if (row.endTime <= row.startTime) return 'order';
  return null;
}

/** The rows of one weekday, by start. */
export function rowsOfDay(rows: readonly WindowRow[], weekday: number): WindowRow[] {
  return rows
    .filter((r) => r.weekday === weekday)
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.key - b.key);
}

/** A new window for a weekday: an hour after the day's last one ends (19:00–20:00 on an empty day). */
export function nextRowFor(rows: readonly WindowRow[], weekday: number, key: number): WindowRow {
  const last = rowsOfDay(rows, weekday).at(-1);
  const hour = last ? Math.min(22, Number(last.endTime.slice(0, 2)) + 1) : 19;
  const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { key, weekday, startTime: pad(hour), endTime: hour >= 23 ? '23:59' : pad(hour + 1) };
}

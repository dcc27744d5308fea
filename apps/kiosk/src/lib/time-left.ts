/** Whole minutes until `target`, rounded up, never below 0 ("还有3分钟" while 2:10 is left). */
export function minutesUntil(target: Date | string | number, now: number): number {
  const ms = new Date(target).getTime() - now;
  return Math.max(0, Math.ceil(ms / 60_000));
}

/** How much of a call is left, from 1 (all of it, also before the start) to 0 (over). */
export function fractionLeft(start: Date | string, end: Date | string, now: number): number {
  const from = new Date(start).getTime();
  const to = new Date(end).getTime();
  if (to <= from) return 0;
  return Math.min(1, Math.max(0, (to - now) / (to - from)));
}

/** When a call can be joined: 5 minutes before its start (ms). */
export function opensAt(start: Date | string): number {
  return new Date(start).getTime() - 5 * 60_000;
}

/** A call can be joined from 5 minutes before its start until its end (the server decides; this shows it). */
export function isCallOpen(start: Date | string, end: Date | string, now: number): boolean {
  return now >= opensAt(start) && now <= new Date(end).getTime();
}

/** The characters on a child's round avatar: a Chinese given name whole (at most 2), else the first letter. */
export function initialsOf(givenName: string): string {
  const name = givenName.trim();
  if (/^[\u3400-\u9fff]/.test(name)) return [...name].slice(-2).join('');
  return (name[0] ?? '?').toUpperCase();
}

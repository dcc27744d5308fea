/** A half-open span `[start, end)` in epoch milliseconds: the engine's working form of a `TimeRange`. */
export interface Interval {
  start: number;
  end: number;
}

/** Sorts intervals and joins those that overlap or touch; empty ones are dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ start: interval.start, end: interval.end });
  }
  return merged;
}

/** Whether `[start, end)` lies wholly inside one of the merged, sorted `intervals`. */
export function isCovered(intervals: readonly Interval[], start: number, end: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const interval = intervals[mid]!;
    if (interval.end < end) lo = mid + 1;
    else if (interval.start > start) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Whether two half-open spans share at least one instant. */
export function overlaps(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  return aStart < bEnd && bStart < aEnd;
}

import { prepareProblem, type ScheduleResult, toScheduleResult } from './schedule-result.ts';
import type { WeekProblem } from './week-problem.ts';

/**
 * First come, first served: households in `arrivalOrder` (household ids; pass a seeded shuffle for a fair draw)
 * each take the earliest slot one of their contacts can take that still has a free kiosk. Households not in the
 * order do not take part. A baseline to measure `fairSchedule` against, and what a "book it yourself" page
 * would give.
 */
export function fcfsSchedule(problem: WeekProblem, arrivalOrder: readonly string[]): ScheduleResult {
  const prepared = prepareProblem(problem);
  const { capacity, feasible } = prepared;
  const indexById = new Map(problem.households.map((h, i) => [h.householdId, i]));
  const assigned = new Int32Array(problem.households.length).fill(-1);
  const load = new Int32Array(capacity.length);
  for (const id of arrivalOrder) {
    const h = indexById.get(id);
    if (h === undefined || assigned[h]! >= 0 || problem.households[h]!.childIds.length === 0) continue;
    const slot = feasible[h]!.find((s) => load[s]! < capacity[s]!);
    if (slot === undefined) continue;
    assigned[h] = slot;
    load[slot]!++;
  }
  return toScheduleResult(prepared, assigned);
}

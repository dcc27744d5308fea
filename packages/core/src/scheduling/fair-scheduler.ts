import { HOUR_MS } from '../time/zoned-time.ts';
import { prepareProblem, type ScheduleResult, toScheduleResult } from './schedule-result.ts';
import type { WeekProblem } from './week-problem.ts';

/** Waits are capped at a year (in hours); a child never called ranks above any capped wait. */
const MAX_WAIT_HOURS = 366 * 24;
const WEEK_HOURS = 7 * 24;

/**
 * Whole hours a child has waited since the last completed call, capped at a year; a child never called gets one hour
 * more than the cap, so "never" is always the longest wait.
 */
export function childWaitHours(lastCallAt: Date | undefined, now: Date): number {
  if (!lastCallAt) return MAX_WAIT_HOURS + 1;
  return Math.min(MAX_WAIT_HOURS, Math.max(0, Math.floor((now.getTime() - lastCallAt.getTime()) / HOUR_MS)));
}

/**
 * A child's share of the tie-break score: (wait hours + 1)², so longer waits weigh more than proportionally (one
 * child who waited four weeks outranks two who waited two). At most about 7.7e7 per child: sums stay exact integers.
 */
export function childWaitScore(lastCallAt: Date | undefined, now: Date): number {
  return (childWaitHours(lastCallAt, now) + 1) ** 2;
}

/**
 * What the fair scheduler maximizes.
 * - `most-children`: children reached this week; among plans reaching the most, the largest total wait score
 *   ({@link childWaitScore}) of the children reached, i.e. those who waited longest.
 * - `longest-wait`: households ranked by their longest-waiting child's whole weeks of waiting (never called first),
 *   then by children, then by wait score; the plan chosen is the best in that ranking: no feasible plan serves a
 *   household it leaves out without dropping one ranked higher. Trades some children this week for bounded waits
 *   over a term when large sibling groups alone could fill the Home.
 */
export type SchedulePriority = 'most-children' | 'longest-wait';

/** Options of {@link fairSchedule}. */
export interface FairScheduleOptions {
  /** What to maximize. Default: `'most-children'`. */
  priority?: SchedulePriority;
}

/**
 * Proposes the week's calls, exactly optimal for the chosen priority: at most one call per household (reaching all
 * its candidate children at once), at most one call per free kiosk of a slot, only in slots a household's contact can
 * take. Deterministic: remaining ties go to the smaller household id.
 *
 * Why it is exact: the sets of households that can be served together are the independent sets of a transversal
 * matroid (households on one side, slot × kiosk units on the other). For a matroid, adding households in decreasing
 * weight, each if an augmenting path still fits it in, yields a maximum-weight independent set; with weight
 * `children × BIG + waitScore` that is the lexicographic optimum, with no big-number arithmetic needed. Each addition
 * is a breadth-first search for an augmenting path over slots (grouped capacity, so the graph is household → slot
 * with capacity k); slots proven saturated and closed are skipped from then on. This is what successive shortest
 * paths on the household → slot → sink flow would compute, in a few milliseconds for a Home of 1,000 children.
 * @example fairSchedule(buildWeekProblem({ calendar, week: '2026-03-02', households, contacts, windows, bookings, lastCallAt, now }))
 */
export function fairSchedule(problem: WeekProblem, options: FairScheduleOptions = {}): ScheduleResult {
  const prepared = prepareProblem(problem);
  const { capacity, feasible } = prepared;
  const households = problem.households;
  const ranking = households.map((h, index) => {
    const children = [...new Set(h.childIds)];
    const waits = children.map((c) => childWaitHours(problem.lastCallAt.get(c), problem.now));
    return {
      index,
      id: h.householdId,
      children: children.length,
      score: children.reduce((sum, c) => sum + childWaitScore(problem.lastCallAt.get(c), problem.now), 0),
      weeks: Math.floor(Math.max(0, ...waits) / WEEK_HOURS),
    };
  });
  const byWait = (options.priority ?? 'most-children') === 'longest-wait';
  const order = ranking
    .filter((r) => r.children > 0 && feasible[r.index]!.length > 0)
    .sort(
      (a, b) =>
        (byWait ? b.weeks - a.weeks : 0) ||
        b.children - a.children ||
        b.score - a.score ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );

  const slotCount = capacity.length;
  const assigned = new Int32Array(households.length).fill(-1);
  const members: number[][] = Array.from({ length: slotCount }, () => []);
  const closed = new Uint8Array(slotCount);
  const seenBy = new Int32Array(slotCount).fill(-1);
  const via = new Int32Array(slotCount);
  const queue = new Int32Array(slotCount);

  let openSlots = slotCount;

  for (const { index: h } of order) {
    let head = 0;
    let tail = 0;
    let found = -1;
    // The queue is first in, first out, so the first slot with room to be queued is the first the search would take
    // out: stop there. Once every open slot is queued, further households' slots add nothing: stop expanding.
    const visit = (slot: number, from: number) => {
      if (closed[slot] || seenBy[slot] === h) return;
      seenBy[slot] = h;
      via[slot] = from;
      queue[tail++] = slot;
      if (members[slot]!.length < capacity[slot]!) found = slot;
    };
    for (const s of feasible[h]!) {
      visit(s, h);
      if (found >= 0) break;
    }
    search: while (found < 0 && head < tail && tail < openSlots) {
      const s = queue[head++]!;
      for (const y of members[s]!) {
        for (const next of feasible[y]!) {
          visit(next, y);
          if (found >= 0 || tail === openSlots) break search;
        }
      }
    }
    if (found < 0) {
      // Every slot reached is full and its households can only move among these slots: no later household can
      // gain a place here either, so stop searching them.
      for (let i = 0; i < tail; i++) closed[queue[i]!] = 1;
      openSlots -= tail;
      continue;
    }
    for (let s = found; ; ) {
      const y = via[s]!;
      const previous = assigned[y]!;
      members[s]!.push(y);
      assigned[y] = s;
      if (previous < 0) break;
      const list = members[previous]!;
      list.splice(list.indexOf(y), 1);
      s = previous;
    }
  }
  return toScheduleResult(prepared, assigned);
}

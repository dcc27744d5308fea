import { describe, expect, it } from 'vitest';
import { fcfsSchedule } from './fcfs-scheduler.ts';
import type { WeekProblem } from './week-problem.ts';

const slot = (minute: number, kioskIds = ['kio_1']) => ({
  start: new Date(Date.UTC(2026, 2, 2, 4, minute)),
  end: new Date(Date.UTC(2026, 2, 2, 4, minute + 15)),
  kioskIds,
});
// Slots listed out of time order on purpose: "earliest" means earliest start, not first in the list.
const problem: WeekProblem = {
  slots: [slot(40), slot(0), slot(20, ['kio_1', 'kio_2'])],
  households: [
    { householdId: 'hsh_a', childIds: ['chd_a'], options: [{ contactId: 'cnt_a', slotIndexes: [0, 1, 2] }] },
    { householdId: 'hsh_b', childIds: ['chd_b1', 'chd_b2'], options: [{ contactId: 'cnt_b', slotIndexes: [1, 2] }] },
    { householdId: 'hsh_c', childIds: ['chd_c'], options: [{ contactId: 'cnt_c', slotIndexes: [1] }] },
  ],
  lastCallAt: new Map(),
  now: new Date('2026-03-01T12:00:00Z'),
  alreadyBookedChildIds: [],
};
const minutes = (r: ReturnType<typeof fcfsSchedule>) =>
  r.proposals.map((p) => [p.householdId, p.slotStart.getUTCMinutes(), p.kioskId]);

describe('fcfsSchedule', () => {
  it('gives each arrival the earliest slot with a free kiosk', () => {
    expect(minutes(fcfsSchedule(problem, ['hsh_a', 'hsh_b', 'hsh_c']))).toEqual([
      ['hsh_a', 0, 'kio_1'],
      ['hsh_b', 20, 'kio_1'],
    ]);
    expect(minutes(fcfsSchedule(problem, ['hsh_c', 'hsh_b', 'hsh_a']))).toEqual([
      ['hsh_c', 0, 'kio_1'],
      ['hsh_a', 20, 'kio_1'],
      ['hsh_b', 20, 'kio_2'],
    ]);
  });

  it('skips households that did not arrive, unknown ids and repeats', () => {
    const result = fcfsSchedule(problem, ['hsh_zz', 'hsh_b', 'hsh_b']);
    expect(minutes(result)).toEqual([['hsh_b', 0, 'kio_1']]);
    expect(result.childrenReached).toBe(2);
  });
});

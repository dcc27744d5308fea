import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childWaitScore, fairSchedule, type SchedulePriority } from './fair-scheduler.ts';
import { fcfsSchedule } from './fcfs-scheduler.ts';
import type { ScheduleResult } from './schedule-result.ts';
import type { CandidateHousehold, WeekProblem } from './week-problem.ts';

const now = new Date('2026-03-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const slot = (i: number, kiosks = 1) => ({
  start: new Date(Date.UTC(2026, 2, 2, 4, i * 20)),
  end: new Date(Date.UTC(2026, 2, 2, 4, i * 20 + 15)),
  kioskIds: Array.from({ length: kiosks }, (_, k) => `kio_${k + 1}`),
});
const household = (
  id: string,
  childIds: string[],
  slotIndexes: number[],
  contactId = `cnt_${id}`,
): CandidateHousehold => ({
  householdId: `hsh_${id}`,
  childIds,
  options: [{ contactId, slotIndexes }],
});
const problem = (fields: Partial<WeekProblem>): WeekProblem => ({
  slots: [],
  households: [],
  lastCallAt: new Map(),
  now,
  alreadyBookedChildIds: [],
  ...fields,
});
const served = (result: ScheduleResult) => result.proposals.map((p) => p.householdId).sort();

describe('fairSchedule', () => {
  it('gives a contested slot to the household that waited longest', () => {
    const input = problem({
      slots: [slot(0)],
      households: [household('a', ['chd_a'], [0]), household('b', ['chd_b'], [0])],
      lastCallAt: new Map([
        ['chd_a', daysAgo(7)],
        ['chd_b', daysAgo(14)],
      ]),
    });
    expect(served(fairSchedule(input))).toEqual(['hsh_b']);
    const neverCalled = { ...input, lastCallAt: new Map([['chd_b', daysAgo(300)]]) };
    expect(served(fairSchedule(neverCalled))).toEqual(['hsh_a']);
  });

  it('reaches more children first, and serves siblings together in one call', () => {
    const input = problem({
      slots: [slot(0)],
      households: [household('single', ['chd_1'], [0]), household('twins', ['chd_2', 'chd_3'], [0])],
      lastCallAt: new Map([
        ['chd_2', daysAgo(1)],
        ['chd_3', daysAgo(1)],
      ]),
    });
    const result = fairSchedule(input);
    expect(result.proposals).toEqual([
      {
        householdId: 'hsh_twins',
        childIds: ['chd_2', 'chd_3'],
        contactId: 'cnt_twins',
        slotStart: slot(0).start,
        slotEnd: slot(0).end,
        kioskId: 'kio_1',
      },
    ]);
    expect(result.childrenReached).toBe(2);
    expect(served(fairSchedule(input, { priority: 'longest-wait' }))).toEqual(['hsh_single']);
  });

  it('moves an earlier choice along an augmenting path rather than leave a household out', () => {
    // The siblings are placed first and could sit in slot 0 or 1; b fits only slot 0; c fits slot 1 or 2.
    const input = problem({
      slots: [slot(0), slot(1), slot(2)],
      households: [
        household('a', ['chd_a1', 'chd_a2'], [0, 1]),
        household('b', ['chd_b'], [0]),
        household('c', ['chd_c'], [1, 2]),
      ],
    });
    const result = fairSchedule(input);
    expect(result.childrenReached).toBe(4);
    expect(result.proposals.map((p) => [p.householdId, p.slotStart.getUTCMinutes()])).toEqual([
      ['hsh_b', 0],
      ['hsh_a', 20],
      ['hsh_c', 40],
    ]);
    // First come, first served gives the siblings slot 0 and leaves b out.
    expect(fcfsSchedule(input, ['hsh_a', 'hsh_b', 'hsh_c']).childrenReached).toBe(3);
  });

  it('fills a slot up to its free kiosks, each call on its own kiosk', () => {
    const input = problem({
      slots: [slot(0, 2)],
      households: ['a', 'b', 'c'].map((id) => household(id, [`chd_${id}`], [0])),
    });
    const result = fairSchedule(input);
    expect(result.proposals.map((p) => [p.householdId, p.kioskId])).toEqual([
      ['hsh_a', 'kio_1'],
      ['hsh_b', 'kio_2'],
    ]);
  });

  it('calls the first of the household’s contacts who can take the slot', () => {
    const input = problem({
      slots: [slot(0), slot(1)],
      households: [
        {
          householdId: 'hsh_a',
          childIds: ['chd_a'],
          options: [
            { contactId: 'cnt_mum', slotIndexes: [1] },
            { contactId: 'cnt_dad', slotIndexes: [0, 1] },
          ],
        },
        household('b', ['chd_b'], [1]),
      ],
    });
    expect(fairSchedule(input).proposals.map((p) => [p.householdId, p.contactId])).toEqual([
      ['hsh_a', 'cnt_dad'],
      ['hsh_b', 'cnt_b'],
    ]);
  });

  it('rejects problems that would double-book a child or name a missing slot', () => {
    expect(() =>
      fairSchedule(
        problem({ slots: [slot(0)], households: [household('a', ['chd_x'], [0]), household('b', ['chd_x'], [0])] }),
      ),
    ).toThrow(RangeError);
    expect(() => fairSchedule(problem({ slots: [slot(0)], households: [household('a', ['chd_a'], [1])] }))).toThrow(
      RangeError,
    );
  });
});

// Small random weeks: up to 6 households, 5 slots, 1–2 kiosks per slot.
const instanceArb = fc
  .record({
    kiosks: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 5 }),
    households: fc.array(
      fc.record({
        children: fc.integer({ min: 1, max: 3 }),
        contacts: fc.array(fc.array(fc.nat(4), { maxLength: 5 }), { minLength: 1, maxLength: 2 }),
        // Waits in days, drawn from few values so that ties are common; null = never called.
        lastCall: fc.array(fc.option(fc.constantFrom(0, 7, 14, 21, 28), { nil: null }), { minLength: 3, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ kiosks, households }): WeekProblem => {
    const lastCallAt = new Map<string, Date>();
    const candidates = households.map((h, i): CandidateHousehold => {
      const childIds = Array.from({ length: h.children }, (_, c) => `chd_${i}_${c}`);
      childIds.forEach((id, c) => {
        const days = h.lastCall[c];
        if (days !== null && days !== undefined) lastCallAt.set(id, daysAgo(days));
      });
      return {
        householdId: `hsh_${i}`,
        childIds,
        options: h.contacts.map((slots, c) => ({
          contactId: `cnt_${i}_${c}`,
          slotIndexes: [...new Set(slots.filter((s) => s < kiosks.length))],
        })),
      };
    });
    return problem({ slots: kiosks.map((k, i) => slot(i, k)), households: candidates, lastCallAt });
  });

/** Every set of households that can be served together, found by trying every assignment. */
function feasibleSets(input: WeekProblem): number[][] {
  const feasible = input.households.map((h) => [...new Set(h.options.flatMap((o) => o.slotIndexes))]);
  const sets: number[][] = [];
  const n = input.households.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const members = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    const load = input.slots.map(() => 0);
    const place = (k: number): boolean => {
      if (k === members.length) return true;
      for (const s of feasible[members[k]!]!) {
        if (load[s]! < input.slots[s]!.kioskIds.length) {
          load[s]!++;
          if (place(k + 1)) return true;
          load[s]!--;
        }
      }
      return false;
    };
    if (place(0)) sets.push(members);
  }
  return sets;
}

const childrenOf = (input: WeekProblem, set: number[]) =>
  set.reduce((n, h) => n + input.households[h]!.childIds.length, 0);
const scoreOf = (input: WeekProblem, set: number[]) =>
  set.reduce(
    (sum, h) =>
      sum + input.households[h]!.childIds.reduce((s, c) => s + childWaitScore(input.lastCallAt.get(c), now), 0),
    0,
  );

function expectValid(input: WeekProblem, result: ScheduleResult): void {
  const seenHouseholds = new Set<string>();
  const usedKiosks = new Set<string>();
  let children = 0;
  for (const p of result.proposals) {
    const h = input.households.find((x) => x.householdId === p.householdId)!;
    expect(seenHouseholds.has(p.householdId)).toBe(false);
    seenHouseholds.add(p.householdId);
    expect(p.childIds).toEqual(h.childIds);
    children += p.childIds.length;
    const s = input.slots.findIndex((x) => x.start.getTime() === p.slotStart.getTime());
    expect(input.slots[s]!.kioskIds).toContain(p.kioskId);
    expect(h.options.find((o) => o.contactId === p.contactId)?.slotIndexes).toContain(s);
    const kioskKey = `${s}|${p.kioskId}`;
    expect(usedKiosks.has(kioskKey)).toBe(false);
    usedKiosks.add(kioskKey);
  }
  expect(result.childrenReached).toBe(children);
}

describe('fairSchedule on thousands of small random weeks', () => {
  it('reaches as many children as the brute-force optimum, and ties go to the longest waits', () => {
    fc.assert(
      fc.property(instanceArb, (input) => {
        const result = fairSchedule(input);
        expectValid(input, result);
        const sets = feasibleSets(input);
        const best = Math.max(...sets.map((set) => childrenOf(input, set)));
        expect(result.childrenReached).toBe(best);
        const bestScore = Math.max(
          ...sets.filter((set) => childrenOf(input, set) === best).map((set) => scoreOf(input, set)),
        );
        const chosen = result.proposals.map((p) => input.households.findIndex((h) => h.householdId === p.householdId));
        expect(scoreOf(input, chosen)).toBe(bestScore);
      }),
      { numRuns: 3000 },
    );
  });

  it('with longest-wait priority, picks the best set in that ranking', () => {
    const rank = (input: WeekProblem) => {
      const weeks = (h: CandidateHousehold) =>
        Math.max(
          ...h.childIds.map((c) => {
            const last = input.lastCallAt.get(c);
            return last ? Math.floor((now.getTime() - last.getTime()) / (7 * 86_400_000)) : Number.POSITIVE_INFINITY;
          }),
        );
      const key = (i: number) => {
        const h = input.households[i]!;
        return [weeks(h), h.childIds.length, scoreOf(input, [i]), -i];
      };
      return (a: number, b: number) => {
        const [ka, kb] = [key(a), key(b)];
        for (let j = 0; j < ka.length; j++) if (ka[j] !== kb[j]) return kb[j]! - ka[j]! > 0 ? 1 : -1;
        return 0;
      };
    };
    const priority: SchedulePriority = 'longest-wait';
    fc.assert(
      fc.property(instanceArb, (input) => {
        const result = fairSchedule(input, { priority });
        expectValid(input, result);
        const order = rank(input);
        // Compare sets by their members from highest-ranked down; the larger set wins a common prefix.
        const better = (a: number[], b: number[]) => {
          const [sa, sb] = [[...a].sort(order), [...b].sort(order)];
          for (let j = 0; j < Math.min(sa.length, sb.length); j++) {
            if (sa[j] !== sb[j]) return order(sa[j]!, sb[j]!) < 0;
          }
          return sa.length > sb.length;
        };
        const best = feasibleSets(input).reduce((x, y) => (better(y, x) ? y : x));
        const chosen = result.proposals.map((p) => input.households.findIndex((h) => h.householdId === p.householdId));
        expect(chosen.sort()).toEqual([...best].sort());
      }),
      { numRuns: 2000 },
    );
  });

  it('never reaches fewer children than first come, first served, whatever the arrival order', () => {
    const withOrder = instanceArb.chain((input) =>
      fc.tuple(
        fc.constant(input),
        fc.shuffledSubarray(
          input.households.map((h) => h.householdId),
          { minLength: input.households.length },
        ),
      ),
    );
    fc.assert(
      fc.property(withOrder, ([input, order]) => {
        const fcfs = fcfsSchedule(input, order);
        expectValid(input, fcfs);
        expect(fairSchedule(input).childrenReached).toBeGreaterThanOrEqual(fcfs.childrenReached);
      }),
      { numRuns: 2000 },
    );
  });
});

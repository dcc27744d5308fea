import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childWaitHours, childWaitScore, fairSchedule, type SchedulePriority } from './fair-scheduler.ts';
import { freeSlotsFor } from './free-slots.ts';
import { type PreparedProblem, toScheduleResult } from './schedule-result.ts';
import { bookingsArb, homeArb, instantArb, windowsArb, zoneArb } from './test-arbitraries.ts';
import type { SchedulingAvailabilityWindow, SchedulingContact, SchedulingHousehold } from './types.ts';
import { buildWeekProblem, type CandidateHousehold, type WeekProblem } from './week-problem.ts';

// The scheduler's shortcuts (availability read once per shared pattern, the search stopped as soon as its answer is
// known, slots sorted by rank) must not change a single proposal. These tests hold the plain versions the shortcuts
// replaced and compare on random weeks.

/** The augmenting-path search without shortcuts: every queued slot taken out, every member's slots expanded. */
function plainFairSchedule(problem: WeekProblem, priority: SchedulePriority) {
  const feasible = problem.households.map((h) => {
    const slots = new Set(h.options.flatMap((o) => o.slotIndexes));
    return [...slots].sort((a, b) => problem.slots[a]!.start.getTime() - problem.slots[b]!.start.getTime() || a - b);
  });
  const capacity = problem.slots.map((s) => s.kioskIds.length);
  const prepared: PreparedProblem = { problem, capacity, feasible };
  const ranking = problem.households.map((h, index) => {
    const children = [...new Set(h.childIds)];
    const waits = children.map((c) => childWaitHours(problem.lastCallAt.get(c), problem.now));
    return {
      index,
      id: h.householdId,
      children: children.length,
      score: children.reduce((sum, c) => sum + childWaitScore(problem.lastCallAt.get(c), problem.now), 0),
      weeks: Math.floor(Math.max(0, ...waits) / 168),
    };
  });
  const byWait = priority === 'longest-wait';
  const order = ranking
    .filter((r) => r.children > 0 && feasible[r.index]!.length > 0)
    .sort(
      (a, b) =>
        (byWait ? b.weeks - a.weeks : 0) ||
        b.children - a.children ||
        b.score - a.score ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  const assigned = new Array<number>(problem.households.length).fill(-1);
  const members: number[][] = capacity.map(() => []);
  const closed = capacity.map(() => false);
  for (const { index: h } of order) {
    const seen = new Set<number>();
    const via = new Map<number, number>();
    const queue: number[] = [];
    const visit = (slot: number, from: number) => {
      if (closed[slot] || seen.has(slot)) return;
      seen.add(slot);
      via.set(slot, from);
      queue.push(slot);
    };
    for (const s of feasible[h]!) visit(s, h);
    let found = -1;
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      if (members[s]!.length < capacity[s]!) {
        found = s;
        break;
      }
      for (const y of members[s]!) for (const next of feasible[y]!) visit(next, y);
    }
    if (found < 0) {
      for (const s of queue) closed[s] = true;
      continue;
    }
    for (let s = found; ; ) {
      const y = via.get(s)!;
      const previous = assigned[y]!;
      members[s]!.push(y);
      assigned[y] = s;
      if (previous < 0) break;
      members[previous]!.splice(members[previous]!.indexOf(y), 1);
      s = previous;
    }
  }
  return toScheduleResult(prepared, assigned);
}

/** Weeks with few slots and many households, so that slots fill, paths are long and the search often fails. */
const crowdedWeekArb = fc
  .record({
    slots: fc.array(fc.record({ minute: fc.integer({ min: 0, max: 20 }), kiosks: fc.integer({ min: 0, max: 3 }) }), {
      minLength: 1,
      maxLength: 8,
    }),
    households: fc.array(
      fc.record({
        children: fc.integer({ min: 0, max: 3 }),
        waitDays: fc.array(fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }), {
          minLength: 3,
          maxLength: 3,
        }),
        options: fc.array(fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 5 }), { maxLength: 2 }),
      }),
      { maxLength: 30 },
    ),
  })
  .map(({ slots, households }): WeekProblem => {
    const now = new Date('2026-03-01T12:00:00Z');
    const lastCallAt = new Map<string, Date>();
    const candidates = households.map((h, i): CandidateHousehold => {
      const childIds = Array.from({ length: h.children }, (_, c) => `chd_${i}_${c}`);
      childIds.forEach((c, k) => {
        const days = h.waitDays[k];
        if (days !== undefined) lastCallAt.set(c, new Date(now.getTime() - days * 86_400_000));
      });
      return {
        householdId: `hsh_${String(i).padStart(2, '0')}`,
        childIds,
        options: h.options.map((list, o) => ({
          contactId: `cnt_${i}_${o}`,
          slotIndexes: list.filter((s) => s < slots.length),
        })),
      };
    });
    return {
      // Several slots may start at the same minute: their order is then by index.
      slots: slots.map((s) => ({
        start: new Date(Date.UTC(2026, 2, 2, 4, s.minute)),
        end: new Date(Date.UTC(2026, 2, 2, 4, s.minute + 15)),
        kioskIds: Array.from({ length: s.kiosks }, (_, k) => `kio_${k + 1}`),
      })),
      households: candidates,
      lastCallAt,
      now,
      alreadyBookedChildIds: [],
    };
  });

describe('scheduler shortcuts', () => {
  it('property: fairSchedule proposes exactly what the search without shortcuts proposes', () => {
    fc.assert(
      fc.property(crowdedWeekArb, fc.constantFrom<SchedulePriority>('most-children', 'longest-wait'), (week, p) => {
        expect(fairSchedule(week, { priority: p })).toEqual(plainFairSchedule(week, p));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: contacts sharing a zone and windows get exactly their own free slots of the week', () => {
    // A few patterns shared by many contacts (some listed in another order or twice), busy people and used kiosks.
    const weekArb = instantArb.chain((now) =>
      fc.record({
        now: fc.constant(now),
        calendar: homeArb(now),
        zones: fc.array(zoneArb, { minLength: 1, maxLength: 2 }),
        patterns: fc.array(windowsArb('x'), { minLength: 1, maxLength: 3 }),
        households: fc.array(
          fc.record({
            children: fc.integer({ min: 1, max: 3 }),
            contacts: fc.array(
              fc.record({
                zone: fc.nat(),
                pattern: fc.nat(),
                reversed: fc.boolean(),
                approved: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
              }),
              { minLength: 1, maxLength: 2 },
            ),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        dayOffset: fc.integer({ min: 0, max: 10 }),
      }),
    );
    fc.assert(
      fc.property(
        weekArb.chain((spec) => {
          const households: SchedulingHousehold[] = spec.households.map((h, i) => ({
            id: `hsh_${i}`,
            childIds: Array.from({ length: h.children }, (_, c) => `chd_${i}_${c}`),
            contactIds: h.contacts.map((_, c) => `cnt_${i}_${c}`),
          }));
          const ids = {
            kioskIds: spec.calendar.kiosks.map((k) => k.id),
            childIds: households.flatMap((h) => h.childIds),
            contactIds: households.flatMap((h) => h.contactIds),
          };
          return fc.record({
            spec: fc.constant(spec),
            households: fc.constant(households),
            bookings: bookingsArb(spec.now, ids),
          });
        }),
        ({ spec, households, bookings }) => {
          const contacts: SchedulingContact[] = [];
          const windows: SchedulingAvailabilityWindow[] = [];
          spec.households.forEach((h, i) => {
            h.contacts.forEach((c, k) => {
              const id = `cnt_${i}_${k}`;
              contacts.push({ id, timeZone: spec.zones[c.zone % spec.zones.length]!, approved: c.approved });
              const pattern = spec.patterns[c.pattern % spec.patterns.length]!.map((w) => ({ ...w, contactId: id }));
              windows.push(...(c.reversed ? [...pattern, ...pattern].reverse() : pattern));
            });
          });
          const { now, calendar } = spec;
          const week = new Date(now.getTime() + spec.dayOffset * 86_400_000).toISOString().slice(0, 10);
          const problem = buildWeekProblem({
            calendar,
            week,
            households,
            contacts,
            windows,
            bookings,
            lastCallAt: new Map(),
            now,
          });
          const slotStarts = problem.slots.map((s) => s.start.getTime());
          for (const candidate of problem.households) {
            const household = households.find((h) => h.id === candidate.householdId)!;
            const expected = household.contactIds.flatMap((contactId) => {
              const contact = contacts.find((c) => c.id === contactId)!;
              const own = windows.filter((w) => w.contactId === contactId);
              const free = freeSlotsFor({
                calendar,
                household,
                contact,
                windows: own,
                bookings,
                now,
                childIds: candidate.childIds,
              });
              const slotIndexes = free
                .map((s) => slotStarts.indexOf(s.start.getTime()))
                .filter((index) => index >= 0)
                .sort((a, b) => a - b);
              return slotIndexes.length > 0 ? [{ contactId, slotIndexes }] : [];
            });
            expect(candidate.options).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

import type { WeekProblem } from './week-problem.ts';

/** A call a weekly scheduler proposes; it becomes a booking with status `proposed` once stored. */
export interface ProposedBooking {
  householdId: string;
  /** Every child of the household still to reach this week: siblings share the call. */
  childIds: string[];
  contactId: string;
  slotStart: Date;
  slotEnd: Date;
  kioskId: string;
}

/** What a weekly scheduler returns. */
export interface ScheduleResult {
  /** In time order, then by kiosk. */
  proposals: ProposedBooking[];
  /** Children the proposals reach (children already booked this week are not counted again). */
  childrenReached: number;
}

/** A {@link WeekProblem} checked and put in the form the schedulers work on. */
export interface PreparedProblem {
  problem: WeekProblem;
  /** Free kiosks per slot. */
  capacity: number[];
  /** Per candidate household, the slots any of its contacts can take, earliest first. */
  feasible: number[][];
}

/**
 * Checks a {@link WeekProblem} and lists each household's feasible slots.
 * @throws RangeError when a slot index is out of range, a household appears twice, or a child or contact appears in
 * two households.
 */
export function prepareProblem(problem: WeekProblem): PreparedProblem {
  const households = new Set<string>();
  const owner = new Map<string, string>();
  const claim = (id: string, householdId: string) => {
    const other = owner.get(id);
    if (other !== undefined && other !== householdId) {
      throw new RangeError(`${id} appears in both ${other} and ${householdId}`);
    }
    owner.set(id, householdId);
  };
  const slotCount = problem.slots.length;
  // Each slot's place in time order (ties by index), so that households' slots sort as plain numbers.
  const startMs = problem.slots.map((slot) => slot.start.getTime());
  const rank = new Int32Array(slotCount);
  Array.from({ length: slotCount }, (_, s) => s)
    .sort((a, b) => startMs[a]! - startMs[b]! || a - b)
    .forEach((s, place) => {
      rank[s] = place;
    });
  const feasible = problem.households.map((h) => {
    if (households.has(h.householdId)) throw new RangeError(`${h.householdId} appears twice`);
    households.add(h.householdId);
    for (const c of h.childIds) claim(c, h.householdId);
    const slots: number[] = [];
    for (const option of h.options) {
      claim(option.contactId, h.householdId);
      for (const s of option.slotIndexes) {
        if (!Number.isInteger(s) || s < 0 || s >= slotCount) {
          throw new RangeError(`${h.householdId} names slot ${s}, but the week has ${slotCount} slots`);
        }
        slots.push(s);
      }
    }
    slots.sort((a, b) => rank[a]! - rank[b]!);
    return slots.filter((s, i) => i === 0 || s !== slots[i - 1]);
  });
  return { problem, capacity: problem.slots.map((s) => s.kioskIds.length), feasible };
}

/**
 * Turns an assignment (household index → slot index, or -1) into proposals: within a slot, households in id order
 * take the slot's free kiosks in order; each call goes to the household's first contact who can take that slot.
 */
export function toScheduleResult(prepared: PreparedProblem, assigned: ArrayLike<number>): ScheduleResult {
  const { problem } = prepared;
  const bySlot = new Map<number, number[]>();
  for (let h = 0; h < problem.households.length; h++) {
    const s = assigned[h]!;
    if (s < 0) continue;
    const list = bySlot.get(s) ?? [];
    list.push(h);
    bySlot.set(s, list);
  }
  const proposals: ProposedBooking[] = [];
  let childrenReached = 0;
  for (const [s, members] of bySlot) {
    const slot = problem.slots[s]!;
    const ordered = members
      .map((h) => problem.households[h]!)
      .sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));
    ordered.forEach((household, i) => {
      const kioskId = slot.kioskIds[i];
      const option = household.options.find((o) => o.slotIndexes.includes(s));
      if (kioskId === undefined || !option) throw new Error(`internal: slot ${s} over capacity or infeasible`);
      const childIds = [...new Set(household.childIds)];
      childrenReached += childIds.length;
      proposals.push({
        householdId: household.householdId,
        childIds,
        contactId: option.contactId,
        slotStart: new Date(slot.start),
        slotEnd: new Date(slot.end),
        kioskId,
      });
    });
  }
  proposals.sort(
    (a, b) =>
      a.slotStart.getTime() - b.slotStart.getTime() || (a.kioskId < b.kioskId ? -1 : a.kioskId > b.kioskId ? 1 : 0),
  );
  return { proposals, childrenReached };
}

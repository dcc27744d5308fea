import { replaceAvailabilityWindows } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSlots } from './find-slots.ts';
import { seedTestWorld, type TestWorld } from './test-world.ts';

/** Tuesday 8 September 2026 at `hh:mm` in Shanghai. */
const tuesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 8, hh - 8, mm));

describe("a parent's own slot search and their availability windows (PGlite)", () => {
  let database: TestDatabase;
  let home: TestWorld;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    home = await seedTestWorld(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  const search = (family: number, anyTimeWithoutWindows: boolean) => {
    const f = home.families[family];
    if (!f) throw new Error(`no family ${family}`);
    return findSlots(home.deps, {
      homeId: home.homeId,
      householdId: f.householdId,
      contactId: f.contactId,
      from: tuesdayAt(8),
      to: tuesdayAt(20),
      anyTimeWithoutWindows,
    });
  };

  it('offers every free slot of the open hours to a parent who has set no windows, and none without the option', async () => {
    const open = await search(0, true);
    // Open 08:00–20:00: the day's whole grid is offered.
    expect(open.slots.length).toBeGreaterThan(20);
    expect(open.slots[0]?.start.getTime()).toBe(tuesdayAt(8).getTime());
    expect((await search(0, false)).slots).toEqual([]);
  });

  it("keeps to the parent's windows once they set some, and another contact's windows change nothing", async () => {
    const [mine, other] = home.families;
    if (!mine || !other) throw new Error('two families expected');
    // Tuesday is weekday 2: the parent can talk 19:00–20:00 only.
    await replaceAvailabilityWindows(database.db, home.homeId, mine.contactId, [
      { weekday: 2, startTime: '19:00', endTime: '20:00' },
    ]);
    const narrowed = await search(0, true);
    expect(narrowed.slots.length).toBeGreaterThan(0);
    for (const slot of narrowed.slots) {
      expect(slot.start.getTime()).toBeGreaterThanOrEqual(tuesdayAt(19).getTime());
      expect(slot.end.getTime()).toBeLessThanOrEqual(tuesdayAt(20).getTime());
    }
    // The other household's parent has still set none: every slot.
    expect((await search(1, true)).slots.length).toBeGreaterThan(narrowed.slots.length);
  });
});

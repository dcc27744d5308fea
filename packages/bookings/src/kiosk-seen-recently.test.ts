import { AppError } from '@affection/core';
import { schema } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAdhoc } from './book-adhoc.ts';
import { bookSlot } from './book-slot.ts';
import type { BookingActor } from './booking-actor.ts';
import { KIOSK_SEEN_WITHIN_MS } from './booking-context.ts';
import type { BookingDeps } from './booking-deps.ts';
import { seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';

const MINUTE = 60_000;
/** Tuesday 8 September 2026 at `hh:mm` in Shanghai (TEST_NOW is Monday 12:00). */
const tuesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 8, hh - 8, mm));

describe('a call goes to a kiosk seen recently (PGlite, two Homes)', () => {
  let database: TestDatabase;
  // Home A: kiosk 1 never enrolled, kiosk 2 enrolled but silent for two hours, kiosk 3 seen a minute ago.
  // Home B: two kiosks, both seen a minute ago.
  let homeA: TestWorld;
  let homeB: TestWorld;
  let neverEnrolled: string;
  let stale: string;
  let fresh: string;

  const seen = async (kioskId: string, at: Date | null) => {
    await database.db.update(schema.kiosks).set({ lastSeenAt: at }).where(eq(schema.kiosks.id, kioskId));
  };
  const adminOf = (world: TestWorld): BookingActor => ({ kind: 'staff', staffId: world.staffId, role: 'admin' });
  const at = (world: TestWorld, now: Date): BookingDeps => ({ ...world.deps, now: () => now });
  const family = (world: TestWorld, i: number) => {
    const f = world.families[i];
    if (!f) throw new Error(`no family ${i}`);
    return { homeId: world.homeId, householdId: f.householdId, contactId: f.contactId };
  };
  const ahead = (world: TestWorld, i: number, start: Date) => ({
    ...family(world, i),
    start,
    status: 'confirmed' as const,
    source: 'teacher' as const,
    createdBy: world.staffId,
  });

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    homeA = await seedTestWorld(database.db, { kiosks: 3, neverEnrolled: 1 });
    homeB = await seedTestWorld(database.db, { kiosks: 2 });
    [neverEnrolled = '', stale = '', fresh = ''] = homeA.kioskIds;
    await seen(stale, new Date(TEST_NOW.getTime() - 120 * MINUTE));
    await seen(fresh, new Date(TEST_NOW.getTime() - MINUTE));
    for (const id of homeB.kioskIds) await seen(id, new Date(TEST_NOW.getTime() - MINUTE));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('books ahead on the kiosk seen recently first, and on a silent one rather than refusing', async () => {
    const first = await bookSlot(at(homeA, TEST_NOW), adminOf(homeA), ahead(homeA, 0, tuesdayAt(10)));
    expect(first).toMatchObject({ ok: true, booking: { kioskId: fresh } });
    // The other kiosk is off tonight; the call is tomorrow, so it is booked there, not refused.
    const second = await bookSlot(at(homeA, TEST_NOW), adminOf(homeA), ahead(homeA, 1, tuesdayAt(10)));
    expect(second).toMatchObject({ ok: true, booking: { kioskId: stale } });
    // Never on the never-enrolled kiosk, and never on Home B's.
    const named = await bookSlot(at(homeA, TEST_NOW), adminOf(homeA), {
      ...ahead(homeA, 0, tuesdayAt(11)),
      kioskId: homeB.kioskIds[0],
    }).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(AppError);
    expect(
      await bookSlot(at(homeA, TEST_NOW), adminOf(homeA), {
        ...ahead(homeA, 0, tuesdayAt(11)),
        kioskId: neverEnrolled,
      }),
    ).toEqual({ ok: false, reason: 'slot-taken' });
  });

  it('places "call now" on the kiosk seen a minute ago, not the silent one before it in the list', async () => {
    const first = await bookAdhoc(at(homeA, TEST_NOW), adminOf(homeA), family(homeA, 0));
    expect(first).toMatchObject({ ok: true, booking: { kioskId: fresh, source: 'adhoc' } });
    // The kiosk seen recently now holds a call; the silent one is free, but a child would wait at a dark screen.
    expect(await bookAdhoc(at(homeA, TEST_NOW), adminOf(homeA), family(homeA, 1))).toEqual({
      ok: false,
      reason: 'kiosk-offline',
    });
  });

  it('refuses "call now" when every kiosk has been silent longer than the window, whatever Home B has', async () => {
    // An hour later no kiosk of Home A has reached the server since; Home B's kiosks (seen now) are not Home A's.
    const later = new Date(TEST_NOW.getTime() + 60 * MINUTE);
    for (const id of homeB.kioskIds) await seen(id, later);
    expect(await bookAdhoc(at(homeA, later), adminOf(homeA), family(homeA, 1))).toEqual({
      ok: false,
      reason: 'kiosk-offline',
    });
    // Just inside the window the kiosk still counts as on.
    await seen(fresh, new Date(later.getTime() - KIOSK_SEEN_WITHIN_MS));
    expect(await bookAdhoc(at(homeA, later), adminOf(homeA), family(homeA, 1))).toMatchObject({
      ok: true,
      booking: { kioskId: fresh },
    });
  });

  it('never counts a kiosk no tablet enrolled on, however recently its row was touched', async () => {
    const twoHoursOn = new Date(TEST_NOW.getTime() + 120 * MINUTE);
    await seen(neverEnrolled, twoHoursOn);
    await seen(fresh, new Date(TEST_NOW.getTime() - 120 * MINUTE));
    const home = await bookAdhoc(at(homeA, TEST_NOW), adminOf(homeA), {
      ...family(homeB, 0),
      homeId: homeA.homeId,
    }).catch((e: unknown) => e);
    expect(home).toBeInstanceOf(AppError); // Home B's household is not Home A's
    expect(await bookAdhoc(at(homeA, twoHoursOn), adminOf(homeA), family(homeA, 0))).toEqual({
      ok: false,
      reason: 'kiosk-offline',
    });
    await seen(neverEnrolled, null);
    await seen(fresh, new Date(TEST_NOW.getTime() - MINUTE));
  });

  it('takes a kiosk with no recorded contact (set up before contacts were kept) for "call now" after one seen', async () => {
    const fourHoursOn = new Date(TEST_NOW.getTime() + 240 * MINUTE);
    await seen(stale, null);
    await seen(fresh, new Date(fourHoursOn.getTime() - MINUTE));
    const first = await bookAdhoc(at(homeA, fourHoursOn), adminOf(homeA), family(homeA, 0));
    expect(first).toMatchObject({ ok: true, booking: { kioskId: fresh } });
    const second = await bookAdhoc(at(homeA, fourHoursOn), adminOf(homeA), family(homeA, 1));
    expect(second).toMatchObject({ ok: true, booking: { kioskId: stale } });
  });
});

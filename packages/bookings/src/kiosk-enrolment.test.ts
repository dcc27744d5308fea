import { revokeKiosk, setKioskEnabled } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSlot } from './book-slot.ts';
import type { BookingActor } from './booking-actor.ts';
import { findSlots } from './find-slots.ts';
import { moveBooking } from './move-booking.ts';
import { seedTestBooking, seedTestWorld, type TestWorld } from './test-world.ts';

/** Tuesday 8 September 2026 at `hh:mm` in Shanghai. */
const tuesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 8, hh - 8, mm));

describe('calls are placed only on an enrolled, enabled kiosk (PGlite, two Homes)', () => {
  let database: TestDatabase;
  // Home A: two kiosks, the first never enrolled. Home B: two kiosks, neither enrolled.
  let homeA: TestWorld;
  let homeB: TestWorld;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    homeA = await seedTestWorld(database.db, { kiosks: 2, neverEnrolled: 1 });
    homeB = await seedTestWorld(database.db, { kiosks: 2, neverEnrolled: 2 });
  });
  afterAll(async () => {
    await database?.close();
  });

  const teacherOf = (world: TestWorld): BookingActor => ({ kind: 'staff', staffId: world.staffId, role: 'teacher' });
  const request = (world: TestWorld, family: number) => {
    const f = world.families[family];
    if (!f) throw new Error(`no family ${family}`);
    return {
      homeId: world.homeId,
      householdId: f.householdId,
      contactId: f.contactId,
      status: 'confirmed' as const,
      source: 'teacher' as const,
      createdBy: world.staffId,
    };
  };

  it('books on the enrolled kiosk, and finds the slot full once it holds a call', async () => {
    const enrolled = homeA.kioskIds[1];
    const first = await bookSlot(homeA.deps, teacherOf(homeA), { ...request(homeA, 0), start: tuesdayAt(10) });
    expect(first).toMatchObject({ ok: true, booking: { kioskId: enrolled } });
    // The never-enrolled kiosk is free at 10:00 but takes no call: the second family finds no kiosk.
    expect(await bookSlot(homeA.deps, teacherOf(homeA), { ...request(homeA, 1), start: tuesdayAt(10) })).toEqual({
      ok: false,
      reason: 'slot-taken',
    });
    const found = await findSlots(homeA.deps, {
      ...request(homeA, 1),
      from: tuesdayAt(9),
      to: tuesdayAt(11),
      anyTime: true,
    });
    expect(found.slots.length).toBeGreaterThan(0);
    for (const slot of found.slots) expect(slot.kioskIds).toEqual([enrolled]);
    expect(found.slots.some((slot) => slot.start.getTime() === tuesdayAt(10).getTime())).toBe(false);
  });

  it('refuses a kiosk named by the caller when no tablet was enrolled on it', async () => {
    expect(
      await bookSlot(homeA.deps, teacherOf(homeA), {
        ...request(homeA, 1),
        start: tuesdayAt(11),
        kioskId: homeA.kioskIds[0],
      }),
    ).toEqual({ ok: false, reason: 'slot-taken' });
  });

  it('says so when the Home has no enrolled kiosk: booking and moving are refused, no slot is offered', async () => {
    expect(await bookSlot(homeB.deps, teacherOf(homeB), { ...request(homeB, 0), start: tuesdayAt(10) })).toEqual({
      ok: false,
      reason: 'no-enrolled-kiosk',
    });
    const found = await findSlots(homeB.deps, { ...request(homeB, 0), from: tuesdayAt(9), to: tuesdayAt(11) });
    expect(found.slots).toEqual([]);
    const earlier = await seedTestBooking(database.db, homeB, 0, { start: tuesdayAt(12) });
    expect(
      await moveBooking(homeB.deps, teacherOf(homeB), {
        homeId: homeB.homeId,
        bookingId: earlier.id,
        start: tuesdayAt(14),
      }),
    ).toEqual({ ok: false, reason: 'no-enrolled-kiosk' });
  });

  it('treats a kiosk switched off or revoked like one never enrolled', async () => {
    const kioskId = homeA.kioskIds[1] ?? '';
    await setKioskEnabled(database.db, homeA.homeId, kioskId, false);
    expect(await bookSlot(homeA.deps, teacherOf(homeA), { ...request(homeA, 1), start: tuesdayAt(15) })).toEqual({
      ok: false,
      reason: 'no-enrolled-kiosk',
    });
    await setKioskEnabled(database.db, homeA.homeId, kioskId, true);
    await revokeKiosk(database.db, homeA.homeId, kioskId, tuesdayAt(0));
    expect(await bookSlot(homeA.deps, teacherOf(homeA), { ...request(homeA, 1), start: tuesdayAt(15) })).toEqual({
      ok: false,
      reason: 'no-enrolled-kiosk',
    });
  });
});

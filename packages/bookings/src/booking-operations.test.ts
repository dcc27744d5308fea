import { isAppError } from '@affection/core';
import { createBooking, getBooking, listAuditForSubject } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from './answer-proposal.ts';
import { bookSlot } from './book-slot.ts';
import type { BookingActor } from './booking-actor.ts';
import { cancelBooking } from './cancel-booking.ts';
import { moveBooking } from './move-booking.ts';
import { seedTestBooking, seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';
import { writeOnFreeKiosk } from './write-on-free-kiosk.ts';

/** Tuesday 8 September 2026 at `hh:mm` in Shanghai. */
const tuesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 8, hh - 8, mm));

describe('booking operations (PGlite)', () => {
  let database: TestDatabase;
  let world: TestWorld;
  let teacher: BookingActor;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
    teacher = { kind: 'staff', staffId: world.staffId, role: 'teacher' };
  });
  afterAll(async () => {
    await database?.close();
  });

  const family = (i: number) => {
    const f = world.families[i];
    if (!f) throw new Error(`no family ${i}`);
    return f;
  };

  it('bookSlot books a slot of the grid and reports it once; a refusal reports nothing', async () => {
    world.planned.length = 0;
    const request = {
      homeId: world.homeId,
      householdId: family(0).householdId,
      contactId: family(0).contactId,
      status: 'confirmed' as const,
      source: 'teacher' as const,
      createdBy: world.staffId,
    };
    const booked = await bookSlot(world.deps, teacher, { ...request, start: tuesdayAt(10) });
    expect(booked).toMatchObject({ ok: true, timeZone: 'Asia/Shanghai', booking: { status: 'confirmed' } });
    if (!booked.ok) return;
    expect(world.planned).toEqual([booked.booking.id]);
    expect((await listAuditForSubject(database.db, 'booking', booked.booking.id)).map((e) => e.action)).toEqual([
      'booking.create',
    ]);
    // 03:00 is not a slot of the Home's hours; the same slot again finds the child already booked.
    expect(await bookSlot(world.deps, teacher, { ...request, start: tuesdayAt(3) })).toEqual({
      ok: false,
      reason: 'outside-hours',
    });
    expect(await bookSlot(world.deps, teacher, { ...request, start: tuesdayAt(10) })).toEqual({
      ok: false,
      reason: 'child-busy',
    });
    expect(world.planned).toEqual([booked.booking.id]);
  });

  it('bookSlot answers an unknown household with a not-found error, not an outcome', async () => {
    const refused = await bookSlot(world.deps, teacher, {
      homeId: world.homeId,
      householdId: 'hsh_0000000000000000',
      contactId: family(0).contactId,
      start: tuesdayAt(11),
      status: 'confirmed',
      source: 'teacher',
      createdBy: world.staffId,
    }).catch((error: unknown) => error);
    expect(isAppError(refused) && refused.code).toBe('not-found');
  });

  it('writeOnFreeKiosk tries the next kiosk when another request took the first one meanwhile', async () => {
    const start = tuesdayAt(12);
    const end = new Date(start.getTime() + 15 * 60_000);
    // Someone else takes the first kiosk after our read (the bookings we decide on do not show it).
    await seedTestBooking(database.db, world, 1, { start, kioskId: world.kioskIds[0] });
    const tried: string[] = [];
    const write = async (kioskId: string) => {
      tried.push(kioskId);
      return createBooking(database.db, {
        homeId: world.homeId,
        kioskId,
        householdId: family(0).householdId,
        contactId: family(0).contactId,
        childIds: [family(0).childId],
        start,
        end,
        status: 'confirmed',
        source: 'teacher',
        now: TEST_NOW,
      }) as ReturnType<Parameters<typeof writeOnFreeKiosk>[1]['write']>;
    };
    const choose = (bookings: readonly { kioskId: string; start: Date }[]) => {
      const taken = new Set(bookings.filter((b) => b.start.getTime() === start.getTime()).map((b) => b.kioskId));
      const kioskId = world.kioskIds.find((id) => !taken.has(id));
      return kioskId ? { ok: true as const, kioskId } : { ok: false as const, reason: 'slot-taken' as const };
    };
    const scope = { start: new Date(start.getTime() - 86_400_000), end: new Date(start.getTime() + 86_400_000) };
    const once = await writeOnFreeKiosk(database.db, {
      homeId: world.homeId,
      bookings: [],
      scope,
      attempts: 1,
      choose,
      write,
    });
    expect(once).toEqual({ ok: false, reason: 'slot-taken' });
    tried.length = 0;
    const retried = await writeOnFreeKiosk(database.db, {
      homeId: world.homeId,
      bookings: [],
      scope,
      attempts: world.kioskIds.length,
      choose,
      write,
    });
    expect(tried).toEqual([world.kioskIds[0], world.kioskIds[1]]);
    expect(retried).toMatchObject({ ok: true, booking: { kioskId: world.kioskIds[1] } });
  });

  it('moveBooking moves a booking and reports it; a stale version is not-active and reports nothing', async () => {
    // A Home of its own: the households above have used up their week.
    const world = await seedTestWorld(database.db);
    const teacher: BookingActor = { kind: 'staff', staffId: world.staffId, role: 'teacher' };
    const booking = await seedTestBooking(database.db, world, 0, { start: tuesdayAt(14) });
    world.planned.length = 0;
    const moved = await moveBooking(world.deps, teacher, {
      homeId: world.homeId,
      bookingId: booking.id,
      start: tuesdayAt(15),
      expectedVersion: 1,
    });
    expect(moved).toMatchObject({ ok: true, booking: { version: 2, start: tuesdayAt(15) } });
    const stale = await moveBooking(world.deps, teacher, {
      homeId: world.homeId,
      bookingId: booking.id,
      start: tuesdayAt(16),
      expectedVersion: 1,
    });
    expect(stale).toEqual({ ok: false, reason: 'not-active' });
    expect(world.planned).toEqual([booking.id]);
  });

  it("answerProposal confirms a proposal once; cancelBooking keeps to the family's own calls not yet started", async () => {
    const proposal = await seedTestBooking(database.db, world, 1, { start: tuesdayAt(17), status: 'proposed' });
    const parent: BookingActor = { kind: 'family', contactId: family(1).contactId };
    const answer = { homeId: world.homeId, bookingId: proposal.id, answer: 'confirm' as const };
    expect(await answerProposal(world.deps, parent, answer)).toMatchObject({
      ok: true,
      booking: { status: 'confirmed' },
    });
    expect(await answerProposal(world.deps, parent, answer)).toEqual({ ok: false, reason: 'not-active' });

    const cancel = { homeId: world.homeId, bookingId: proposal.id, reason: '孩子生病', beforeStart: true };
    const stranger = await cancelBooking(world.deps, parent, { ...cancel, householdId: family(0).householdId }).catch(
      (error: unknown) => error,
    );
    expect(isAppError(stranger) && stranger.code).toBe('not-found');
    const started = await seedTestBooking(database.db, world, 1, {
      start: new Date(TEST_NOW.getTime() - 5 * 60_000),
    });
    expect(
      await cancelBooking(world.deps, parent, { ...cancel, bookingId: started.id, householdId: family(1).householdId }),
    ).toEqual({ ok: false, reason: 'not-active' });
    const cancelled = await cancelBooking(world.deps, parent, { ...cancel, householdId: family(1).householdId });
    expect(cancelled).toMatchObject({ ok: true, booking: { status: 'cancelled', cancelReason: '孩子生病' } });
    expect((await getBooking(database.db, world.homeId, started.id))?.status).toBe('confirmed');
  });
});

import { getBooking, listAuditForSubject } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingActor } from './booking-actor.ts';
import { createBookingEvents } from './booking-events.ts';
import { completeByPhone, DONE_BY_PHONE_AUDIT_ACTION } from './complete-by-phone.ts';
import { endCallNow } from './end-call-now.ts';
import { extendCall } from './extend-call.ts';
import { seedTestBooking, seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';

const MINUTE = 60_000;

describe('actions on a call under way (PGlite)', () => {
  let database: TestDatabase;
  let world: TestWorld;
  let other: TestWorld;
  let teacher: BookingActor;
  const announced: { homeId: string; bookingId: string }[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
    other = await seedTestWorld(database.db);
    teacher = { kind: 'staff', staffId: world.staffId, role: 'teacher' };
    const planned = world.planned;
    world.deps = {
      ...world.deps,
      events: createBookingEvents({
        db: database.db,
        now: () => TEST_NOW,
        planLifecycle: async (bookingId) => {
          planned.push(bookingId);
        },
        announce: async (homeId, bookingId) => {
          announced.push({ homeId, bookingId });
        },
      }),
    };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('extendCall moves the end 5 minutes later, plans and announces the change once, and audits `booking.extend`', async () => {
    world.planned.length = 0;
    announced.length = 0;
    const booking = await seedTestBooking(database.db, world, 0, { start: new Date(TEST_NOW.getTime() - 2 * MINUTE) });
    const outcome = await extendCall(world.deps, teacher, { homeId: world.homeId, bookingId: booking.id });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.booking.end.getTime() - booking.end.getTime()).toBe(5 * MINUTE);
    expect(outcome.booking.start).toEqual(booking.start);
    expect(outcome.booking.version).toBe(booking.version + 1);
    expect(world.planned).toEqual([booking.id]);
    expect(announced).toEqual([{ homeId: world.homeId, bookingId: booking.id }]);
    const audit = await listAuditForSubject(database.db, 'booking', booking.id);
    expect(audit.map((a) => a.action)).toContain('booking.extend');
  });

  it('extendCall refuses `kiosk-busy` when the next call on the kiosk starts within 5 minutes, and changes nothing', async () => {
    const kioskId = world.kioskIds[1] as string;
    const live = await seedTestBooking(database.db, world, 0, {
      start: new Date(TEST_NOW.getTime() + 60 * MINUTE - 15 * MINUTE),
      kioskId,
    });
    // The clock of these tests is fixed: move the live call so that it runs now, then put the next call after it.
    const running = await seedTestBooking(database.db, other, 0, { start: new Date(TEST_NOW.getTime() - MINUTE) });
    expect(running.homeId).toBe(other.homeId);
    const next = await seedTestBooking(database.db, other, 1, {
      start: new Date(running.end.getTime() + 2 * MINUTE),
      kioskId: running.kioskId,
    });
    expect(next.kioskId).toBe(running.kioskId);
    world.planned.length = 0;
    const otherTeacher: BookingActor = { kind: 'staff', staffId: other.staffId, role: 'teacher' };
    const refused = await extendCall(other.deps, otherTeacher, { homeId: other.homeId, bookingId: running.id });
    expect(refused).toEqual({ ok: false, reason: 'kiosk-busy' });
    expect((await getBooking(database.db, other.homeId, running.id))?.end).toEqual(running.end);
    // A call that has not started yet is not live.
    const notYet = await extendCall(world.deps, teacher, { homeId: world.homeId, bookingId: live.id });
    expect(notYet).toEqual({ ok: false, reason: 'not-live' });
    expect(world.planned).toEqual([]);
  });

  it('extendCall of another Home’s booking is not found; an old version is `not-live`', async () => {
    const theirs = await seedTestBooking(database.db, other, 1, { start: new Date(TEST_NOW.getTime() + 120 * MINUTE) });
    await expect(extendCall(world.deps, teacher, { homeId: world.homeId, bookingId: theirs.id })).rejects.toMatchObject(
      {
        code: 'not-found',
      },
    );
    const mine = await seedTestBooking(database.db, world, 1, {
      start: new Date(TEST_NOW.getTime() - 3 * MINUTE),
      kioskId: world.kioskIds[1] as string,
    });
    const stale = await extendCall(world.deps, teacher, {
      homeId: world.homeId,
      bookingId: mine.id,
      expectedVersion: mine.version + 1,
    });
    expect(stale).toEqual({ ok: false, reason: 'not-live' });
  });

  it('endCallNow moves the end to now and reports `end-now`; before the room opens or after the end it is refused', async () => {
    const third = await seedTestWorld(database.db);
    const actor: BookingActor = { kind: 'staff', staffId: third.staffId, role: 'teacher' };
    const live = await seedTestBooking(database.db, third, 0, { start: new Date(TEST_NOW.getTime() - 4 * MINUTE) });
    const later = await seedTestBooking(database.db, third, 1, { start: new Date(TEST_NOW.getTime() + 30 * MINUTE) });
    third.planned.length = 0;
    expect(await endCallNow(third.deps, actor, { homeId: third.homeId, bookingId: later.id })).toEqual({
      ok: false,
      reason: 'not-live',
    });
    const outcome = await endCallNow(third.deps, actor, { homeId: third.homeId, bookingId: live.id });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.booking.end).toEqual(TEST_NOW);
    expect(outcome.booking.version).toBe(live.version + 1);
    expect(third.planned).toEqual([live.id]);
    const audit = await listAuditForSubject(database.db, 'booking', live.id);
    expect(audit.map((a) => a.action)).toContain('booking.end-now');
    // It ends now: a second press finds it over.
    expect(await endCallNow(third.deps, actor, { homeId: third.homeId, bookingId: live.id })).toEqual({
      ok: false,
      reason: 'not-live',
    });
  });

  it('completeByPhone completes the booking, audits who and the minutes, and refuses a second time', async () => {
    announced.length = 0;
    const booking = await seedTestBooking(database.db, world, 0, {
      start: new Date(TEST_NOW.getTime() + 5 * 60 * MINUTE),
    });
    const outcome = await completeByPhone(world.deps, teacher, {
      homeId: world.homeId,
      bookingId: booking.id,
      minutes: 7,
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.booking.status).toBe('completed');
    expect(announced).toEqual([{ homeId: world.homeId, bookingId: booking.id }]);
    const audit = await listAuditForSubject(database.db, 'booking', booking.id);
    const byPhone = audit.find((a) => a.action === DONE_BY_PHONE_AUDIT_ACTION);
    expect(byPhone).toMatchObject({ actorKind: 'staff', actorId: world.staffId, details: { minutes: 7 } });
    expect(audit.map((a) => a.action)).toContain('booking.complete-by-phone');
    const again = await completeByPhone(world.deps, teacher, {
      homeId: world.homeId,
      bookingId: booking.id,
      minutes: 3,
    });
    expect(again).toEqual({ ok: false, reason: 'already-ended' });
  });
});

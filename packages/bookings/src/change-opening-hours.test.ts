import { createOpeningException, getBooking, listAuditForSubject, listOpeningExceptions } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingActor } from './booking-actor.ts';
import { cancelBooking } from './cancel-booking.ts';
import { changeOpeningHours } from './change-opening-hours.ts';
import { seedTestBooking, seedTestWorld, type TestWorld } from './test-world.ts';

/** 2026-09-08 … in Shanghai at `hh:00` (the layer's clock is Monday 7 September, noon). */
const septemberAt = (day: number, hh: number) => new Date(Date.UTC(2026, 8, day, hh - 8));

describe('changeOpeningHours (PGlite)', () => {
  let database: TestDatabase;
  let world: TestWorld;
  let admin: BookingActor;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
    admin = { kind: 'staff', staffId: world.staffId, role: 'admin' };
  });
  afterAll(async () => {
    await database?.close();
  });

  const closeDay = (date: string) => (db: Parameters<typeof createOpeningException>[0]) =>
    createOpeningException(db, world.homeId, { date, closed: true, note: '国庆节' });

  it('cancels the calls of a closed day in the same transaction, audited, planned after the commit', async () => {
    const onDay = await seedTestBooking(database.db, world, 0, { start: septemberAt(9, 10) });
    const otherDay = await seedTestBooking(database.db, world, 1, { start: septemberAt(10, 10) });
    world.planned.length = 0;
    const outcome = await changeOpeningHours(world.deps, admin, {
      homeId: world.homeId,
      apply: closeDay('2026-09-09'),
      onBookings: 'cancel',
      reason: '之家休息（国庆节）',
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.outside.map((o) => o.booking.id)).toEqual([onDay.id]);
    expect(outcome.cancelled.map((b) => [b.id, b.status, b.version])).toEqual([[onDay.id, 'cancelled', 2]]);
    expect(await getBooking(database.db, world.homeId, onDay.id)).toMatchObject({
      status: 'cancelled',
      cancelReason: '之家休息（国庆节）',
    });
    expect((await getBooking(database.db, world.homeId, otherDay.id))?.status).toBe('confirmed');
    expect(world.planned).toEqual([onDay.id]);
    const trail = await listAuditForSubject(database.db, 'booking', onDay.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([['booking.cancel', world.staffId]]);
  });

  it('rolls everything back when a call to cancel changed meanwhile, and when no choice was given', async () => {
    const call = await seedTestBooking(database.db, world, 0, { start: septemberAt(11, 10) });
    world.planned.length = 0;
    // The call is cancelled by someone else after the change read it: its version moves on.
    const changed = await changeOpeningHours(world.deps, admin, {
      homeId: world.homeId,
      apply: async (db) => {
        await closeDay('2026-09-11')(db);
        await cancelBooking({ db, now: world.deps.now, events: world.deps.events.within(db) }, admin, {
          homeId: world.homeId,
          bookingId: call.id,
          reason: '家长有事',
        });
      },
      onBookings: 'cancel',
      reason: '之家休息',
    });
    expect(changed).toMatchObject({ ok: false, reason: 'bookings-changed', bookingId: call.id });
    expect(await listOpeningExceptions(database.db, world.homeId, { from: '2026-09-11', to: '2026-09-11' })).toEqual(
      [],
    );
    expect(await getBooking(database.db, world.homeId, call.id)).toMatchObject({ status: 'confirmed', version: 1 });
    expect(await listAuditForSubject(database.db, 'booking', call.id)).toEqual([]);
    expect(world.planned).toEqual([]);

    const unchosen = await changeOpeningHours(world.deps, admin, {
      homeId: world.homeId,
      apply: closeDay('2026-09-11'),
      reason: '之家休息',
    });
    expect(unchosen).toMatchObject({ ok: false, reason: 'bookings-affected' });
    expect(unchosen.outside.map((o) => o.booking.id)).toEqual([call.id]);
    expect(await listOpeningExceptions(database.db, world.homeId, { from: '2026-09-11', to: '2026-09-11' })).toEqual(
      [],
    );

    const dryRun = await changeOpeningHours(world.deps, admin, {
      homeId: world.homeId,
      apply: closeDay('2026-09-11'),
      onBookings: 'cancel',
      reason: '之家休息',
      dryRun: true,
    });
    expect(dryRun).toMatchObject({ ok: true });
    expect(await getBooking(database.db, world.homeId, call.id)).toMatchObject({ status: 'confirmed', version: 1 });
    expect(await listOpeningExceptions(database.db, world.homeId, { from: '2026-09-11', to: '2026-09-11' })).toEqual(
      [],
    );
    expect(world.planned).toEqual([]);

    const kept = await changeOpeningHours(world.deps, admin, {
      homeId: world.homeId,
      apply: closeDay('2026-09-11'),
      onBookings: 'keep',
      reason: '之家休息',
    });
    expect(kept).toMatchObject({ ok: true, cancelled: [] });
    expect(
      await listOpeningExceptions(database.db, world.homeId, { from: '2026-09-11', to: '2026-09-11' }),
    ).toHaveLength(1);
    expect((await getBooking(database.db, world.homeId, call.id))?.status).toBe('confirmed');
  });
});

import {
  createChild,
  createDatabaseChangeFeed,
  createOpeningException,
  type DatabaseChangeFeed,
  LISTENER_NAME,
  replaceAvailabilityWindows,
  schema,
  setKioskEnabled,
  updateContact,
} from '@affection/db';
import { openTestDatabase, type TestDatabase, waitUntil } from '@affection/test-support';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookSlot } from './book-slot.ts';
import { findSlots } from './find-slots.ts';
import { createSlotReadModel, type SlotReadModel } from './slot-read-model.ts';
import { seedTestBooking, seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Every search of `w`'s families, from the database and from the model: the two must be equal. */
async function expectModelAsDatabase(w: TestWorld, model: SlotReadModel): Promise<void> {
  for (const family of w.families) {
    for (const options of [{ anyTime: true }, { anyTimeWithoutWindows: true }, {}]) {
      for (const range of [
        {},
        { from: new Date(TEST_NOW.getTime() + 2 * DAY), to: new Date(TEST_NOW.getTime() + 5 * DAY) },
      ]) {
        const request = {
          homeId: w.homeId,
          householdId: family.householdId,
          contactId: family.contactId,
          ...options,
          ...range,
        };
        const fromDatabase = await findSlots(w.deps, request);
        const fromModel = await findSlots({ ...w.deps, slots: model }, request);
        expect(fromModel).toEqual(fromDatabase);
      }
    }
  }
}

describe.each(['pglite', 'postgres'] as const)('the slot read model (%s)', (kind) => {
  let database: TestDatabase;
  let world: TestWorld;
  let other: TestWorld;
  let changes: DatabaseChangeFeed;
  let model: SlotReadModel;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    world = await seedTestWorld(database.db);
    other = await seedTestWorld(database.db);
    changes = await createDatabaseChangeFeed(database, { retryMs: { first: 50, max: 200 } });
    model = createSlotReadModel({ db: database.db, changes });
  });
  afterAll(async () => {
    model?.close();
    await changes?.close();
    await database?.close();
  });

  const expectSameAsDatabase = (w: TestWorld) => expectModelAsDatabase(w, model);

  it('answers every search exactly as the database does, through bookings, cancellations, windows, approvals, closures and kiosks', async () => {
    await expectSameAsDatabase(world);
    const before = model.stats();
    expect(before.served).toBeGreaterThan(0);
    expect(before.homeLoads).toBe(1);

    // Bookings of both households, written straight into the tables (any writer is heard, not only the booking layer).
    const at = (day: number, hour: number, minute = 0) =>
      new Date(TEST_NOW.getTime() + day * DAY + (hour - 12) * 60 * MINUTE + minute * MINUTE);
    const first = await seedTestBooking(database.db, world, 0, { start: at(1, 14) });
    await seedTestBooking(database.db, world, 1, { start: at(1, 14), kioskId: world.kioskIds[1] });
    await seedTestBooking(database.db, world, 1, { start: at(3, 9, 30), status: 'proposed' });
    await expectSameAsDatabase(world);
    // A changed booking is reloaded alone, not the Home.
    expect(model.stats().homeLoads).toBe(1);
    expect(model.stats().bookingReloads).toBeGreaterThan(before.bookingReloads);

    // Cancelled: its kiosk and its quota are free again.
    await database.db.update(schema.bookings).set({ status: 'cancelled' }).where(eq(schema.bookings.id, first.id));
    await expectSameAsDatabase(world);

    // Through the booking layer itself.
    const booked = await bookSlot(
      world.deps,
      { kind: 'staff', staffId: world.staffId, role: 'teacher' },
      {
        homeId: world.homeId,
        householdId: world.families[0]!.householdId,
        contactId: world.families[0]!.contactId,
        start: at(2, 16),
        status: 'confirmed',
        source: 'teacher',
        createdBy: world.staffId,
      },
    );
    expect(booked.ok).toBe(true);
    await expectSameAsDatabase(world);

    // A parent's windows, a second child, an approval withdrawn.
    await replaceAvailabilityWindows(database.db, world.homeId, world.families[0]!.contactId, [
      { weekday: 2, startTime: '18:00', endTime: '20:00' },
      { weekday: 3, startTime: '09:00', endTime: '11:00' },
    ]);
    await createChild(database.db, world.homeId, {
      householdId: world.families[1]!.householdId,
      familyName: '陈',
      givenName: '小红',
    });
    await expectSameAsDatabase(world);
    await updateContact(database.db, world.homeId, world.families[1]!.contactId, { revokedAt: TEST_NOW }, TEST_NOW);
    await expectSameAsDatabase(world);

    // The Home closed on a day, then a kiosk switched off.
    await createOpeningException(database.db, world.homeId, { date: '2026-09-09', closed: true });
    await expectSameAsDatabase(world);
    await setKioskEnabled(database.db, world.homeId, world.kioskIds[1]!, false);
    await expectSameAsDatabase(world);

    // The other Home was never touched by any of it, and is answered from its own model.
    await expectSameAsDatabase(other);
    expect(model.stats().homes).toBe(2);
  });

  it("refuses another Home's household and a Home that does not exist, as the database does", async () => {
    const stranger = {
      homeId: world.homeId,
      householdId: other.families[0]!.householdId,
      contactId: other.families[0]!.contactId,
    };
    await expect(findSlots({ ...world.deps, slots: model }, stranger)).rejects.toMatchObject({ code: 'not-found' });
    await expect(findSlots(world.deps, stranger)).rejects.toMatchObject({ code: 'not-found' });
    const noHome = { ...stranger, homeId: 'hom_missing' };
    await expect(findSlots({ ...world.deps, slots: model }, noHome)).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('the slot read model when its listening connection is lost (PostgreSQL)', () => {
  let database: TestDatabase;
  let world: TestWorld;
  let changes: DatabaseChangeFeed;
  let model: SlotReadModel;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    world = await seedTestWorld(database.db);
    changes = await createDatabaseChangeFeed(database, { retryMs: { first: 50, max: 200 } });
    model = createSlotReadModel({ db: database.db, changes });
  });
  afterAll(async () => {
    model?.close();
    await changes?.close();
    await database?.close();
  });

  it('reads the database while the connection is gone, forgets what it held, and serves from memory once back', async () => {
    await expectModelAsDatabase(world, model);
    const held = model.stats();
    expect(held.homeLoads).toBe(1);
    const { rows } = (await database.db.execute(
      sql`select count(pg_terminate_backend(pid))::int as killed from pg_stat_activity
          where application_name = ${LISTENER_NAME} and datname = current_database()`,
    )) as unknown as { rows: { killed: number }[] };
    expect(rows[0]?.killed).toBe(1);
    // Written while nobody listens: no notification will ever tell of it.
    await seedTestBooking(database.db, world, 0, { start: new Date(TEST_NOW.getTime() + 4 * DAY) });
    await expectModelAsDatabase(world, model);
    await waitUntil(async () => changes.sync(), { timeoutMs: 10_000, what: 'the change feed listening again' });
    await expectModelAsDatabase(world, model);
    const after = model.stats();
    // Every answer was right; the Home was read whole again once the feed was back (everything held was forgotten).
    expect(after.homeLoads).toBe(2);
    expect(after.served).toBeGreaterThan(held.served);
  });
});

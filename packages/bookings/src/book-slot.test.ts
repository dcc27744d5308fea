import { createDatabaseChangeFeed, type DatabaseChangeFeed, listBookingsOfHousehold } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BookSlotInput, bookSlot } from './book-slot.ts';
import type { BookingDeps } from './booking-deps.ts';
import { createSlotReadModel, type SlotReadModel } from './slot-read-model.ts';
import { seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';
import { withBookingTransaction } from './with-booking-transaction.ts';

const HOUR = 3_600_000;

describe.each(['pglite', 'postgres'] as const)('bookSlot with the slot read model (%s)', (kind) => {
  let database: TestDatabase;
  let world: TestWorld;
  let changes: DatabaseChangeFeed;
  let model: SlotReadModel;
  let deps: BookingDeps;
  const staff = () => ({ kind: 'staff', staffId: world.staffId, role: 'teacher' }) as const;
  const request = (family: number, hours: number, extra: Partial<BookSlotInput> = {}): BookSlotInput => {
    const f = world.families[family];
    if (!f) throw new Error(`no family ${family}`);
    return {
      homeId: world.homeId,
      householdId: f.householdId,
      contactId: f.contactId,
      start: new Date(TEST_NOW.getTime() + hours * HOUR),
      status: 'confirmed',
      source: 'teacher',
      createdBy: world.staffId,
      ...extra,
    };
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    world = await seedTestWorld(database.db);
    changes = await createDatabaseChangeFeed(database, { retryMs: { first: 50, max: 200 } });
    model = createSlotReadModel({ db: database.db, changes });
    deps = { ...world.deps, slots: model };
  });
  afterAll(async () => {
    model?.close();
    await changes?.close();
    await database?.close();
  });

  it('decides from memory and sees the booking committed just before, the database still judging', async () => {
    const served = model.stats().served;
    const first = await bookSlot(deps, staff(), request(0, 26));
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(model.stats().served).toBe(served + 1);
    // The same kiosk and time for the other family, and the week's second call for the first: both refused.
    expect(await bookSlot(deps, staff(), request(1, 26, { kioskId: first.booking.kioskId }))).toEqual({
      ok: false,
      reason: 'slot-taken',
    });
    expect(await bookSlot(deps, staff(), request(0, 28))).toEqual({ ok: false, reason: 'quota-reached' });
    // With the kiosk left to the server, the other family gets the other kiosk of that time.
    const second = await bookSlot(deps, staff(), request(1, 26));
    expect(second).toMatchObject({ ok: true, booking: { start: first.booking.start } });
    if (second.ok) expect(second.booking.kioskId).not.toBe(first.booking.kioskId);
    expect(model.stats().served).toBe(served + 4);
  });

  it('inside a transaction, decides from the database, which holds what the transaction wrote', async () => {
    const served = model.stats().served;
    const outcome = await withBookingTransaction(deps, async (tx) => ({
      first: await bookSlot(tx, staff(), request(0, 26 + 7 * 24)),
      again: await bookSlot(tx, staff(), request(0, 28 + 7 * 24)),
    }));
    expect(outcome.first).toMatchObject({ ok: true });
    expect(outcome.again).toEqual({ ok: false, reason: 'quota-reached' });
    expect(model.stats().served).toBe(served);
    const family = world.families[0];
    const week = await listBookingsOfHousehold(database.db, world.homeId, family?.householdId ?? '', {
      from: new Date(TEST_NOW.getTime() + 7 * 24 * HOUR),
    });
    expect(week).toHaveLength(1);
  });
});

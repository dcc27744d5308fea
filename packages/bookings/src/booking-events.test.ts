import { createBooking, type Db, getBooking, listAuditForSubject, listBookingsOfHousehold } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from './answer-proposal.ts';
import { bookSlot } from './book-slot.ts';
import { type BookingEvents, createBookingEvents } from './booking-events.ts';
import { seedTestBooking, seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';
import { withBookingTransaction } from './with-booking-transaction.ts';

const HOUR = 3_600_000;

describe('booking events (PGlite)', () => {
  let database: TestDatabase;
  let world: TestWorld;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('records booking.<verb> with ids only, as its actor, then hands the booking to the planner', async () => {
    const booking = await seedTestBooking(database.db, world, 0, { start: new Date(TEST_NOW.getTime() + 26 * HOUR) });
    world.planned.length = 0;
    await world.deps.events.changed({ kind: 'staff', staffId: world.staffId, role: 'teacher' }, 'create', booking);
    expect(world.planned).toEqual([booking.id]);
    const [event] = await listAuditForSubject(database.db, 'booking', booking.id);
    expect(event).toMatchObject({
      homeId: world.homeId,
      actorKind: 'staff',
      actorId: world.staffId,
      action: 'booking.create',
      at: TEST_NOW,
    });
    expect(event?.details).toEqual({
      kioskId: booking.kioskId,
      householdId: booking.householdId,
      contactIds: [booking.contactId],
      childIds: booking.childIds,
      seriesId: null,
      version: 1,
    });
    const family = world.families[0];
    expect(JSON.stringify(event)).not.toContain(family?.phone);
    expect(JSON.stringify(event)).not.toContain('李秀英');
  });

  it('names how a parent answered, and which job acted (with no actor id)', async () => {
    const booking = await seedTestBooking(database.db, world, 0, { start: new Date(TEST_NOW.getTime() + 27 * HOUR) });
    const contactId = world.families[0]?.contactId ?? '';
    await world.deps.events.changed({ kind: 'family', contactId, via: 'voice' }, 'cancel', booking);
    await world.deps.events.changed({ kind: 'system', job: 'weekly-proposals' }, 'propose', booking);
    const trail = await listAuditForSubject(database.db, 'booking', booking.id);
    const cancelled = trail.find((e) => e.action === 'booking.cancel');
    const proposed = trail.find((e) => e.action === 'booking.propose');
    expect(cancelled).toMatchObject({ actorKind: 'family', actorId: contactId, action: 'booking.cancel' });
    expect(cancelled?.details).toMatchObject({ via: 'voice' });
    expect(proposed).toMatchObject({ actorKind: 'system', actorId: null, action: 'booking.propose' });
    expect(proposed?.details).toMatchObject({ job: 'weekly-proposals' });
  });

  it('in a transaction: audits inside it, plans each changed booking once and only after the commit', async () => {
    const booking = await seedTestBooking(database.db, world, 1, {
      start: new Date(TEST_NOW.getTime() + 28 * HOUR),
      status: 'proposed',
    });
    world.planned.length = 0;
    const contactId = world.families[1]?.contactId ?? '';
    const answered = await withBookingTransaction(world.deps, async (tx) => {
      const result = await answerProposal(
        tx,
        { kind: 'family', contactId, via: 'sms' },
        { homeId: world.homeId, bookingId: booking.id, answer: 'confirm' },
      );
      await tx.events.changed({ kind: 'family', contactId, via: 'sms' }, 'confirm', booking);
      // Not before the commit: a plan made now would read the booking as it was.
      expect(world.planned).toEqual([]);
      return result;
    });
    expect(answered).toMatchObject({ ok: true, booking: { status: 'confirmed', version: 2 } });
    expect(world.planned).toEqual([booking.id]);
    expect(await listAuditForSubject(database.db, 'booking', booking.id)).toHaveLength(2);
  });

  it('in a transaction that rolls back: no change, no audit row, nothing planned', async () => {
    const booking = await seedTestBooking(database.db, world, 1, {
      start: new Date(TEST_NOW.getTime() + 30 * HOUR),
      status: 'proposed',
    });
    world.planned.length = 0;
    const contactId = world.families[1]?.contactId ?? '';
    await expect(
      withBookingTransaction(world.deps, async (tx) => {
        await answerProposal(
          tx,
          { kind: 'family', contactId, via: 'sms' },
          { homeId: world.homeId, bookingId: booking.id, answer: 'decline' },
        );
        throw new Error('the webhook failed after the change');
      }),
    ).rejects.toThrow('the webhook failed after the change');
    expect(world.planned).toEqual([]);
    expect(await getBooking(database.db, world.homeId, booking.id)).toMatchObject({ status: 'proposed', version: 1 });
    expect(await listAuditForSubject(database.db, 'booking', booking.id)).toEqual([]);
  });

  it('leaves planning to the planner it is given: a second set of events plans elsewhere', async () => {
    const booking = await seedTestBooking(database.db, world, 0, { start: new Date(TEST_NOW.getTime() + 31 * HOUR) });
    const elsewhere: string[] = [];
    const events = createBookingEvents({
      db: database.db,
      now: () => TEST_NOW,
      planLifecycle: async (id) => {
        elsewhere.push(id);
      },
    });
    world.planned.length = 0;
    await events.changed({ kind: 'system', job: 'call-end' }, 'miss', booking);
    expect(elsewhere).toEqual([booking.id]);
    expect(world.planned).toEqual([]);
  });
});

describe.each(['pglite', 'postgres'] as const)('a booking and its audit row, written together (%s)', (kind) => {
  let database: TestDatabase;
  let world: TestWorld;
  const staff = () => ({ kind: 'staff', staffId: world.staffId, role: 'teacher' }) as const;
  const slot = (hours: number) => {
    const family = world.families[0];
    if (!family) throw new Error('no family');
    return {
      homeId: world.homeId,
      householdId: family.householdId,
      contactId: family.contactId,
      start: new Date(TEST_NOW.getTime() + hours * HOUR),
      status: 'confirmed',
      source: 'teacher',
      createdBy: world.staffId,
    } as const;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    world = await seedTestWorld(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('books with exactly one booking.create audit row, written by the booking itself, then plans it', async () => {
    world.planned.length = 0;
    const outcome = await bookSlot(world.deps, staff(), slot(26));
    if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
    expect(world.planned).toEqual([outcome.booking.id]);
    const trail = await listAuditForSubject(database.db, 'booking', outcome.booking.id);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      homeId: world.homeId,
      actorKind: 'staff',
      actorId: world.staffId,
      action: 'booking.create',
      subjectId: outcome.booking.id,
      at: TEST_NOW,
    });
    expect(trail[0]?.details).toEqual({
      kioskId: outcome.booking.kioskId,
      householdId: outcome.booking.householdId,
      contactIds: [outcome.booking.contactId],
      childIds: outcome.booking.childIds,
      seriesId: null,
      version: 1,
    });
  });

  it('leaves no booking (nor link rows, nor anything planned) when its audit row cannot be written', async () => {
    // A port whose audit event names a Home that does not exist: the insert of the audit row fails (foreign key).
    const events: BookingEvents = {
      ...world.deps.events,
      auditOf: (actor, verb, booking) => ({ ...world.deps.events.auditOf(actor, verb, booking), homeId: 'hom_gone' }),
    };
    world.planned.length = 0;
    const request = slot(26 + 7 * 24);
    await expect(bookSlot({ ...world.deps, events }, staff(), request)).rejects.toThrow();
    expect(world.planned).toEqual([]);
    const left = await listBookingsOfHousehold(database.db, world.homeId, request.householdId, {
      from: new Date(request.start.getTime() - HOUR),
    });
    expect(left.filter((b) => b.start.getTime() === request.start.getTime())).toEqual([]);
    // The slot is still free: the same request with a working audit books it.
    const retried = await bookSlot(world.deps, staff(), request);
    expect(retried).toMatchObject({ ok: true, booking: { start: request.start } });
  });

  it('inside a transaction, a write the database refuses leaves the rest of the transaction to commit', async () => {
    const [first, second] = world.families;
    if (!first || !second) throw new Error('no families');
    const start = new Date(TEST_NOW.getTime() + 74 * HOUR);
    const held = await seedTestBooking(database.db, world, 0, { start, kioskId: world.kioskIds[0] });
    const write = (db: Db, at: Date, quota?: { limit: number }) =>
      createBooking(
        db,
        {
          homeId: world.homeId,
          kioskId: held.kioskId,
          householdId: second.householdId,
          contactId: second.contactId,
          childIds: [second.childId],
          start: at,
          end: new Date(at.getTime() + 15 * 60_000),
          status: 'confirmed',
          source: 'teacher',
          now: TEST_NOW,
        },
        quota ? { quota: { weekStart: new Date(at.getTime() - 72 * HOUR), weekEnd: at, limit: quota.limit } } : {},
      );
    const outcome = await database.db.transaction(async (tx) => ({
      taken: await write(tx, start),
      overQuota: await write(tx, new Date(start.getTime() + 2 * HOUR), { limit: 0 }),
      booked: await write(tx, new Date(start.getTime() + 4 * HOUR)),
    }));
    expect(outcome.taken).toEqual({ ok: false, reason: 'slot-taken' });
    expect(outcome.overQuota).toEqual({ ok: false, reason: 'quota-reached' });
    if (!outcome.booked.ok) throw new Error(`refused: ${outcome.booked.reason}`);
    expect(await getBooking(database.db, world.homeId, outcome.booked.booking.id)).toMatchObject({
      status: 'confirmed',
      childIds: [second.childId],
    });
    const ofSecond = await listBookingsOfHousehold(database.db, world.homeId, second.householdId, { from: start });
    expect(ofSecond.map((b) => b.id)).toEqual([outcome.booked.booking.id]);
  });
});

import { getBooking, listAuditForSubject } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerProposal } from './answer-proposal.ts';
import { createBookingEvents } from './booking-events.ts';
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

import { addSecondContact, createBookingEvents } from '@affection/bookings';
import { findSmsByDedupeKey, listBookingSteps, listSmsOfBooking } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBooking } from './plan-booking.ts';
import { bookTestCall, seedTestContact, seedTestFamily, seedTestHome, type TestHome } from './test-fixtures.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('a second parent added to a booked call (PGlite)', () => {
  let database: TestDatabase;
  let home: TestHome;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    home = await seedTestHome(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('gets the -2 steps and messages the plan knows for a three-way call, the first parent keeps hers', async () => {
    const db = database.db;
    const now = new Date();
    const family = await seedTestFamily(db, home);
    const father = await seedTestContact(db, home, family.householdId, {
      name: '王建国',
      relation: 'father',
      phone: `+8613911${String(process.pid % 100_000).padStart(5, '0')}`,
    });
    const start = new Date(now.getTime() + 25 * HOUR);
    const booking = await bookTestCall(db, home, family, { start, end: new Date(start.getTime() + 15 * MIN), now });
    await planBooking({ db, now }, booking.id);
    expect((await listBookingSteps(db, booking.id)).some((s) => s.kind.endsWith('-2'))).toBe(false);

    const events = createBookingEvents({
      db,
      now: () => now,
      planLifecycle: async (bookingId) => {
        await planBooking({ db, now }, bookingId);
      },
    });
    const added = await addSecondContact(
      { db, now: () => now, events },
      { kind: 'family', contactId: family.contactId },
      { homeId: home.homeId, bookingId: booking.id, secondContactId: father.id, householdId: family.householdId },
    );
    expect(added).toMatchObject({ ok: true, booking: { secondContactId: father.id, version: 2 } });

    const steps = (await listBookingSteps(db, booking.id)).filter(
      (s) => s.state === 'pending' && s.bookingVersion === 2,
    );
    const kinds = steps.map((s) => s.kind);
    for (const kind of ['confirm-sms-2', 'reminder-day-before-2', 'reminder-15m-2', 'fallback-ring-2']) {
      expect(kinds).toContain(kind);
    }
    for (const kind of ['confirm-sms', 'reminder-day-before', 'reminder-15m', 'fallback-ring', 'open-room']) {
      expect(kinds).toContain(kind);
    }
    const messages = await listSmsOfBooking(db, booking.id);
    const toFather = messages.filter((m) => m.dedupeKey?.includes('-2-v'));
    expect(toFather.map((m) => [m.template, m.dedupeKey]).sort()).toEqual(
      [
        ['booking-confirmed', `${booking.id}-confirm-sms-2-v2`],
        ['reminder-15-min', `${booking.id}-reminder-15m-2-v2`],
        ['reminder-day-before', `${booking.id}-reminder-day-before-2-v2`],
      ].sort(),
    );
    const confirmation = await findSmsByDedupeKey(db, `${booking.id}-confirm-sms-2-v2`);
    expect(confirmation).toMatchObject({ toPhone: father.phone, contactId: father.id });
  });
});

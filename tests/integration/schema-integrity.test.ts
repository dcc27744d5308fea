import {
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  createKiosk,
  databaseErrorCode,
  PG_ERROR,
  schema,
} from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const at = (hhmm: string) => new Date(`2026-09-07T${hhmm}:00Z`);

async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return databaseErrorCode(error);
  }
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('integrity enforced by the database (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let kioskIds: string[];
  let householdId: string;
  let otherHouseholdId: string;
  let childId: string;
  let otherChildId: string;
  let contactId: string;
  let otherContactId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    homeId = (await createHome(db, { name: '测试之家' })).id;
    kioskIds = [];
    for (const name of ['一号机', '二号机']) {
      kioskIds.push(
        (await createKiosk(db, { homeId, name, enrolmentCodeHash: createId('kiosk'), enrolmentExpiresAt: new Date() }))
          .id,
      );
    }
    householdId = (await createHousehold(db, homeId, { name: '王家' })).id;
    otherHouseholdId = (await createHousehold(db, homeId, { name: '李家' })).id;
    childId = (await createChild(db, homeId, { householdId, familyName: '王', givenName: '小明' })).id;
    otherChildId = (
      await createChild(db, homeId, { householdId: otherHouseholdId, familyName: '李', givenName: '小红' })
    ).id;
    contactId = (
      await createContact(db, homeId, { householdId, name: '妈妈', relation: 'mother', phone: '+8613800000001' })
    ).id;
    otherContactId = (
      await createContact(db, homeId, {
        householdId: otherHouseholdId,
        name: '爸爸',
        relation: 'father',
        phone: '+8613800000002',
      })
    ).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  /** Inserts a booking and its link rows directly, as SQL would, bypassing every check in code. */
  async function insertBooking(input: {
    kioskId: string;
    household: string;
    child: string;
    contact: string;
    start: string;
    end: string;
    status?: 'confirmed' | 'cancelled' | 'completed';
  }): Promise<string> {
    const id = createId('booking');
    await database.db.transaction(async (tx) => {
      await tx.insert(schema.bookings).values({
        id,
        homeId,
        kioskId: input.kioskId,
        householdId: input.household,
        contactId: input.contact,
        startAt: at(input.start),
        endAt: at(input.end),
        status: input.status ?? 'confirmed',
        source: 'teacher',
      });
      await tx
        .insert(schema.bookingChildren)
        .values({ bookingId: id, childId: input.child, startAt: at(input.start), endAt: at(input.end) });
      await tx
        .insert(schema.bookingContacts)
        .values({ bookingId: id, contactId: input.contact, startAt: at(input.start), endAt: at(input.end) });
    });
    return id;
  }

  it('rejects a second active booking on the same kiosk at an overlapping time', async () => {
    const [k1] = kioskIds as [string];
    await insertBooking({
      kioskId: k1,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '04:00',
      end: '04:15',
    });
    const state = await sqlState(
      insertBooking({
        kioskId: k1,
        household: otherHouseholdId,
        child: otherChildId,
        contact: otherContactId,
        start: '04:10',
        end: '04:25',
      }),
    );
    expect(state).toBe(PG_ERROR.exclusionViolation);
    // Back to back is fine: ranges are half-open.
    await insertBooking({
      kioskId: k1,
      household: otherHouseholdId,
      child: otherChildId,
      contact: otherContactId,
      start: '04:15',
      end: '04:30',
    });
  });

  it('rejects the same child, or the same contact, in two overlapping bookings on different kiosks', async () => {
    const [k1, k2] = kioskIds as [string, string];
    await insertBooking({
      kioskId: k1,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '05:00',
      end: '05:15',
    });
    expect(
      await sqlState(
        insertBooking({
          kioskId: k2,
          household: householdId,
          child: childId,
          contact: otherContactId,
          start: '05:05',
          end: '05:20',
        }),
      ),
    ).toBe(PG_ERROR.exclusionViolation);
    expect(
      await sqlState(
        insertBooking({
          kioskId: k2,
          household: otherHouseholdId,
          child: otherChildId,
          contact: contactId,
          start: '05:05',
          end: '05:20',
        }),
      ),
    ).toBe(PG_ERROR.exclusionViolation);
  });

  it('lets cancelled bookings free the kiosk, the child and the contact, and refuses reviving one into a clash', async () => {
    const [k1] = kioskIds as [string];
    const cancelled = await insertBooking({
      kioskId: k1,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '06:00',
      end: '06:15',
      status: 'cancelled',
    });
    await insertBooking({
      kioskId: k1,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '06:00',
      end: '06:15',
    });
    expect(
      await sqlState(
        database.db.update(schema.bookings).set({ status: 'confirmed' }).where(eq(schema.bookings.id, cancelled)),
      ),
    ).toBe(PG_ERROR.exclusionViolation);
  });

  it('keeps the link rows in step when a booking moves, so a move into a clash is refused', async () => {
    const [k1, k2] = kioskIds as [string, string];
    await insertBooking({
      kioskId: k1,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '07:00',
      end: '07:15',
    });
    const moving = await insertBooking({
      kioskId: k2,
      household: householdId,
      child: childId,
      contact: contactId,
      start: '07:30',
      end: '07:45',
    });
    expect(
      await sqlState(
        database.db
          .update(schema.bookings)
          .set({ startAt: at('07:10'), endAt: at('07:25') })
          .where(eq(schema.bookings.id, moving)),
      ),
    ).toBe(PG_ERROR.exclusionViolation);
    const links = await database.db
      .select()
      .from(schema.bookingChildren)
      .where(eq(schema.bookingChildren.bookingId, moving));
    expect(links[0]?.startAt.toISOString()).toBe(at('07:30').toISOString());
  });

  it('enforces foreign keys, checks and uniques', async () => {
    expect(
      await sqlState(
        database.db
          .insert(schema.children)
          .values({ id: createId('child'), homeId, householdId: 'hsh_missing', familyName: '张', givenName: '三' }),
      ),
    ).toBe(PG_ERROR.foreignKeyViolation);
    expect(
      await sqlState(
        database.db.insert(schema.contacts).values({
          id: createId('contact'),
          homeId,
          householdId,
          name: 'x',
          relation: 'mother',
          phone: '13800000000',
        }),
      ),
    ).toBe(PG_ERROR.checkViolation);
    expect(
      await sqlState(
        database.db.insert(schema.contacts).values({
          id: createId('contact'),
          homeId,
          householdId,
          name: 'x',
          relation: 'mother',
          phone: '+8613800000001',
        }),
      ),
    ).toBe(PG_ERROR.uniqueViolation);
    expect(
      await sqlState(
        database.db
          .insert(schema.openingRules)
          .values({ id: createId('openingRule'), homeId, weekday: 8, startTime: '12:00', endTime: '13:00' }),
      ),
    ).toBe(PG_ERROR.checkViolation);
  });
});

import { AppError } from '@affection/core';
import {
  createBooking,
  createChild,
  createContact,
  getBooking,
  listAuditForSubject,
  schema,
  updateContact,
} from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSecondContact } from './add-second-contact.ts';
import type { BookingActor } from './booking-actor.ts';
import { cancelBooking } from './cancel-booking.ts';
import { seedTestBooking, seedTestWorld, TEST_NOW, type TestWorld } from './test-world.ts';

/** Tuesday 8 September 2026 at `hh:mm` in Shanghai. */
const tuesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 8, hh - 8, mm));

describe('addSecondContact (PGlite)', () => {
  let database: TestDatabase;
  let world: TestWorld;
  let homeB: TestWorld;
  let mother: BookingActor;
  let fatherId: string;
  let uncleId: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
    homeB = await seedTestWorld(database.db);
    const family = world.families[0];
    if (!family) throw new Error('no family');
    mother = { kind: 'family', contactId: family.contactId };
    const father = await createContact(database.db, world.homeId, {
      householdId: family.householdId,
      name: '王建国',
      relation: 'father',
      phone: '+8613900000001',
      timeZone: 'Asia/Shanghai',
    });
    await updateContact(
      database.db,
      world.homeId,
      father.id,
      { approvedBy: world.staffId, approvedAt: TEST_NOW },
      TEST_NOW,
    );
    fatherId = father.id;
    // Of the household, but never approved by the Home.
    const uncle = await createContact(database.db, world.homeId, {
      householdId: family.householdId,
      name: '王建军',
      relation: 'other',
      phone: '+8613900000002',
      timeZone: 'Asia/Shanghai',
    });
    uncleId = uncle.id;
  });
  afterAll(async () => {
    await database?.close();
  });

  const linkedContacts = async (bookingId: string) =>
    (
      await database.db
        .select({ contactId: schema.bookingContacts.contactId })
        .from(schema.bookingContacts)
        .where(eq(schema.bookingContacts.bookingId, bookingId))
    )
      .map((r) => r.contactId)
      .sort();

  it('adds the other approved parent like a booking made with two: link row, version, audit with ids, a new plan', async () => {
    const booking = await seedTestBooking(database.db, world, 0, { start: tuesdayAt(10) });
    world.planned.length = 0;
    const added = await addSecondContact(world.deps, mother, {
      homeId: world.homeId,
      bookingId: booking.id,
      householdId: booking.householdId,
      secondContactId: fatherId,
      expectedVersion: booking.version,
    });
    expect(added).toMatchObject({
      ok: true,
      timeZone: 'Asia/Shanghai',
      booking: { id: booking.id, contactId: booking.contactId, secondContactId: fatherId, version: 2 },
    });
    expect(world.planned).toEqual([booking.id]);
    expect(await linkedContacts(booking.id)).toEqual([booking.contactId, fatherId].sort());
    const audit = await listAuditForSubject(database.db, 'booking', booking.id);
    expect(audit.map((e) => e.action)).toEqual(['booking.add-contact']);
    expect(audit[0]?.details).toMatchObject({ contactIds: [booking.contactId, fatherId], version: 2 });
    expect(JSON.stringify(audit[0]?.details)).not.toContain('王建国');

    // Once is enough: a second time, or with the first contact, is refused and changes nothing.
    const again = { homeId: world.homeId, bookingId: booking.id, secondContactId: fatherId };
    expect(await addSecondContact(world.deps, mother, again)).toEqual({ ok: false, reason: 'has-second-contact' });
    expect(await addSecondContact(world.deps, mother, { ...again, secondContactId: uncleId })).toEqual({
      ok: false,
      reason: 'contact-not-approved',
    });
    expect((await getBooking(database.db, world.homeId, booking.id))?.version).toBe(2);
    expect(world.planned).toEqual([booking.id]);
  });

  it('refuses the first contact, an unapproved one, another household’s, a stale version and a call no longer coming', async () => {
    const booking = await seedTestBooking(database.db, world, 0, { start: tuesdayAt(11) });
    const input = { homeId: world.homeId, bookingId: booking.id, householdId: booking.householdId };
    expect(await addSecondContact(world.deps, mother, { ...input, secondContactId: booking.contactId })).toEqual({
      ok: false,
      reason: 'same-contact',
    });
    expect(await addSecondContact(world.deps, mother, { ...input, secondContactId: uncleId })).toEqual({
      ok: false,
      reason: 'contact-not-approved',
    });
    const otherParent = world.families[1]?.contactId ?? '';
    expect(await addSecondContact(world.deps, mother, { ...input, secondContactId: otherParent })).toEqual({
      ok: false,
      reason: 'contact-not-approved',
    });
    expect(
      await addSecondContact(world.deps, mother, { ...input, secondContactId: fatherId, expectedVersion: 7 }),
    ).toEqual({ ok: false, reason: 'not-active' });
    await cancelBooking(world.deps, mother, { ...input, reason: '孩子生病' });
    expect(await addSecondContact(world.deps, mother, { ...input, secondContactId: fatherId })).toEqual({
      ok: false,
      reason: 'not-active',
    });
    expect(await linkedContacts(booking.id)).toEqual([booking.contactId]);
  });

  it('refuses contact-busy when the second parent already has a call at that time (the database decides)', async () => {
    const family = world.families[0];
    if (!family) throw new Error('no family');
    const booking = await seedTestBooking(database.db, world, 0, { start: tuesdayAt(14) });
    // The father already calls the household's other child, on the other kiosk, overlapping by five minutes.
    const sister = await createChild(database.db, world.homeId, {
      householdId: family.householdId,
      familyName: '王',
      givenName: '小红',
    });
    const busy = await createBooking(database.db, {
      homeId: world.homeId,
      kioskId: world.kioskIds[1] ?? '',
      householdId: family.householdId,
      contactId: fatherId,
      childIds: [sister.id],
      start: tuesdayAt(14, 10),
      end: tuesdayAt(14, 25),
      status: 'confirmed',
      source: 'teacher',
      now: TEST_NOW,
    });
    expect(busy.ok).toBe(true);
    expect(
      await addSecondContact(world.deps, mother, {
        homeId: world.homeId,
        bookingId: booking.id,
        secondContactId: fatherId,
      }),
    ).toEqual({ ok: false, reason: 'contact-busy' });
    const after = await getBooking(database.db, world.homeId, booking.id);
    expect(after).toMatchObject({ secondContactId: null, version: 1 });
    expect(await linkedContacts(booking.id)).toEqual([booking.contactId]);
  });

  it('is a not-found for another household’s booking and for a booking of Home B', async () => {
    const theirs = await seedTestBooking(database.db, world, 1, { start: tuesdayAt(15) });
    const homeBs = await seedTestBooking(database.db, homeB, 0, { start: tuesdayAt(15) });
    const householdId = world.families[0]?.householdId ?? '';
    await expect(
      addSecondContact(world.deps, mother, {
        homeId: world.homeId,
        bookingId: theirs.id,
        householdId,
        secondContactId: fatherId,
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    await expect(
      addSecondContact(world.deps, mother, { homeId: world.homeId, bookingId: homeBs.id, secondContactId: fatherId }),
    ).rejects.toBeInstanceOf(AppError);
    // Home A's parent is no contact of a Home B booking either.
    expect(
      await addSecondContact(
        homeB.deps,
        { kind: 'staff', staffId: homeB.staffId, role: 'teacher' },
        {
          homeId: homeB.homeId,
          bookingId: homeBs.id,
          secondContactId: fatherId,
        },
      ),
    ).toEqual({ ok: false, reason: 'contact-not-approved' });
    expect(await linkedContacts(theirs.id)).toEqual([theirs.contactId]);
    expect(await linkedContacts(homeBs.id)).toEqual([homeBs.contactId]);
  });
});

import { createBooking, createChild, createHousehold, createPairing, schema, updateHome } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface AlertsBody {
  noContactAlertDays: number;
  noContact: {
    childId: string;
    householdId: string;
    familyName: string;
    givenName: string;
    lastCallAt: string | null;
    daysWithoutContact: number;
    pairedTeachers: { staffId: string; displayName: string }[];
  }[];
}

const DAY_MS = 86_400_000;

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('GET /api/alerts: children without contact (%s)', (kind) => {
  let world: ApiWorld;
  let now: Date;
  let calledChildId: string;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    const { a } = world;
    now = new Date();
    world.setNow(now);
    const ageChild = (childId: string, days: number) =>
      db
        .update(schema.children)
        .set({ createdAt: new Date(now.getTime() - days * DAY_MS) })
        .where(eq(schema.children.id, childId));
    // 王小明: on the record for 30 days, never called, paired with the teacher.
    await ageChild(a.child.id, 30);
    await createPairing(db, a.home.id, { staffId: a.teacher.id, childId: a.child.id });
    // Another family's child, here 40 days but called 3 days ago; a third, here only 10 days.
    const household = await createHousehold(db, a.home.id, { name: '李家' });
    const called = await createChild(db, a.home.id, { householdId: household.id, familyName: '李', givenName: '小红' });
    calledChildId = called.id;
    await ageChild(called.id, 40);
    const start = new Date(now.getTime() - 3 * DAY_MS);
    const booking = await createBooking(db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: household.id,
      contactId: a.contact.id,
      childIds: [called.id],
      start,
      end: new Date(start.getTime() + 15 * 60_000),
      status: 'completed',
      source: 'teacher',
      now: start,
    });
    expect(booking.ok).toBe(true);
    const recent = await createChild(db, a.home.id, { householdId: household.id, familyName: '李', givenName: '小刚' });
    await ageChild(recent.id, 10);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('lists the children without a completed call for the Home’s period, with their paired teachers', async () => {
    const res = await world.request('/api/alerts', { as: 'teacherA' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      noContactAlertDays: 14,
      noContact: [
        {
          childId: world.a.child.id,
          householdId: world.a.household.id,
          familyName: '王',
          givenName: '小明',
          lastCallAt: null,
          daysWithoutContact: 30,
          pairedTeachers: [{ staffId: world.a.teacher.id, displayName: world.a.teacher.displayName }],
        },
      ],
    } satisfies AlertsBody);
  });

  it('counts from the last completed call and follows the Home’s setting', async () => {
    await updateHome(world.database.db, world.a.home.id, { noContactAlertDays: 3 });
    const body = (await (await world.request('/api/alerts', { as: 'adminA' })).json()) as AlertsBody;
    expect(body.noContactAlertDays).toBe(3);
    expect(body.noContact.map((c) => [c.givenName, c.daysWithoutContact])).toEqual([
      ['小明', 30],
      ['小刚', 10],
      ['小红', 3],
    ]);
    expect(body.noContact.find((c) => c.childId === calledChildId)?.lastCallAt).toBe(
      new Date(now.getTime() - 3 * DAY_MS).toISOString(),
    );
    await updateHome(world.database.db, world.a.home.id, { noContactAlertDays: 31 });
    const none = (await (await world.request('/api/alerts', { as: 'teacherA' })).json()) as AlertsBody;
    expect(none.noContact).toEqual([]);
    await updateHome(world.database.db, world.a.home.id, { noContactAlertDays: 14 });
  });

  it('shows each Home only its own children, and only to staff', async () => {
    const other = (await (await world.request('/api/alerts', { as: 'teacherB' })).json()) as AlertsBody;
    expect(other.noContact.map((c) => c.childId)).not.toContain(world.a.child.id);
    expect((await world.request('/api/alerts')).status).toBe(401);
    expect((await world.request('/api/alerts', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/alerts', { as: 'familyA' })).status).toBe(403);
  });
});

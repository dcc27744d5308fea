import {
  type BookingRecord,
  createBooking,
  createChild,
  createContact,
  createHome,
  createHousehold,
  createId,
  type Db,
  replaceOpeningRules,
  schema,
  updateContact,
} from '@affection/db';
import type { BookingDeps } from './booking-deps.ts';
import { createBookingEvents } from './booking-events.ts';

/** Monday 7 September 2026, 12:00 in Shanghai: the clock of the booking layer's tests. */
export const TEST_NOW = new Date('2026-09-07T04:00:00Z');

/** A Home open 08:00–20:00 every day, with kiosks, a teacher, and two households each with a child and a parent. */
export interface TestWorld {
  homeId: string;
  kioskIds: string[];
  staffId: string;
  families: { householdId: string; childId: string; contactId: string; phone: string }[];
  /** Deps whose booking events audit for real and record the ids handed to the planner in `planned`. */
  deps: BookingDeps;
  planned: string[];
}

let homes = 0;

/**
 * Seeds a {@link TestWorld} in `db`. Only for tests. `kiosks` (default 2) are enrolled, except the first
 * `neverEnrolled` (default 0), on which no tablet was ever enrolled.
 */
export async function seedTestWorld(
  db: Db,
  options: { kiosks?: number; neverEnrolled?: number } = {},
): Promise<TestWorld> {
  homes += 1;
  const home = await createHome(db, { name: `测试之家${homes}`, timeZone: 'Asia/Shanghai' });
  await replaceOpeningRules(
    db,
    home.id,
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startTime: '08:00', endTime: '20:00' })),
  );
  const staffId = createId('staff');
  await db.insert(schema.staff).values({
    id: staffId,
    homeId: home.id,
    role: 'teacher',
    displayName: '王老师',
    username: `t-${staffId}`,
    passwordHash: 'x',
  });
  const kioskIds = Array.from({ length: options.kiosks ?? 2 }, () => createId('kiosk'));
  // Enrolled kiosks: the booking layer places calls on no other kind.
  const neverEnrolled = options.neverEnrolled ?? 0;
  await db.insert(schema.kiosks).values(
    kioskIds.map((id, i) => ({
      id,
      homeId: home.id,
      name: `${i + 1}号机`,
      enrolledAt: i < neverEnrolled ? null : TEST_NOW,
    })),
  );
  const families = [];
  for (const [i, family] of ['王', '陈'].entries()) {
    const household = await createHousehold(db, home.id, { name: `${family}家` });
    const child = await createChild(db, home.id, { householdId: household.id, familyName: family, givenName: '小明' });
    const phone = `+86138${String(homes).padStart(4, '0')}${String(i).padStart(4, '0')}`;
    const contact = await createContact(db, home.id, {
      householdId: household.id,
      name: '李秀英',
      relation: 'mother',
      phone,
      timeZone: 'Asia/Shanghai',
    });
    await updateContact(db, home.id, contact.id, { approvedBy: staffId, approvedAt: TEST_NOW }, TEST_NOW);
    families.push({ householdId: household.id, childId: child.id, contactId: contact.id, phone });
  }
  const planned: string[] = [];
  const now = () => TEST_NOW;
  const events = createBookingEvents({
    db,
    now,
    planLifecycle: async (bookingId) => {
      planned.push(bookingId);
    },
  });
  return { homeId: home.id, kioskIds, staffId, families, deps: { db, now, events }, planned };
}

/** Writes a booking straight into the database (a fixture, not an operation). Only for tests. */
export async function seedTestBooking(
  db: Db,
  world: TestWorld,
  family: number,
  span: { start: Date; kioskId?: string; status?: BookingRecord['status'] },
): Promise<BookingRecord> {
  const f = world.families[family];
  if (!f) throw new Error(`no family ${family}`);
  const result = await createBooking(db, {
    homeId: world.homeId,
    kioskId: span.kioskId ?? world.kioskIds[0] ?? '',
    householdId: f.householdId,
    contactId: f.contactId,
    childIds: [f.childId],
    start: span.start,
    end: new Date(span.start.getTime() + 15 * 60_000),
    status: span.status ?? 'confirmed',
    source: 'teacher',
    now: TEST_NOW,
  });
  if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
  return result.booking;
}

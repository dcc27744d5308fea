import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBooking,
  createChild,
  createContact,
  createFamilyDevice,
  createHome,
  createHousehold,
  createId,
  createKiosk,
  createPairing,
  createStaff,
  ERASED_SMS_PHONE,
  ERASED_TEXT,
  eraseChild,
  exportChildRecord,
  getChild,
  getChildPhoto,
  listChildren,
  recordAudit,
  replaceAvailabilityWindows,
  saveChildPhoto,
  schema,
  selectRows,
  updateContact,
} from '../index.ts';

const NOW = new Date('2026-09-07T04:00:00Z');
const PAST = { start: new Date('2026-08-31T04:15:00Z'), end: new Date('2026-08-31T04:30:00Z') };
const SOON = { start: new Date('2026-09-09T04:15:00Z'), end: new Date('2026-09-09T04:30:00Z') };
const LATER = { start: new Date('2026-09-10T04:15:00Z'), end: new Date('2026-09-10T04:30:00Z') };

/** Words only the seeded family carries, so a scan of every table can look for them. */
const PERSONAL = ['欧阳', '思琪', '上官婉儿', '慕容雪', '佛山', '喜欢画画', '四年级三班', '今天很开心', '13712340'];

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('child erasure and export (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let otherHomeId: string;
  let teacherId: string;
  let phoneSeq = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    homeId = (await createHome(db, { name: '测试之家' })).id;
    otherHomeId = (await createHome(db, { name: '别的之家' })).id;
    teacherId = (
      await createStaff(db, homeId, { role: 'teacher', displayName: '张老师', username: 'zhang', passwordHash: 'x' })
    ).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  /**
   * A household with child 思琪 (and a sibling 思远 when asked), a mother on bookings and a grandmother on
   * none, windows, devices, an enrolment link, a one-time code, a pairing, diary entries, a past call with
   * a mood and an SMS, a booking soon for 思琪 alone and (with a sibling) one later for both.
   */
  async function seedFamily(options: { sibling: boolean }) {
    const db = database.db;
    const household = await createHousehold(db, homeId, { name: '欧阳家' });
    // A kiosk per family, so that the families' bookings never clash.
    const kiosk = await createKiosk(db, { homeId, name: '一号机', enrolmentCodeHash: 'x', enrolmentExpiresAt: NOW });
    const child = await createChild(db, homeId, {
      householdId: household.id,
      familyName: '欧阳',
      givenName: '思琪',
      className: '四年级三班',
      birthYear: 2016,
      notes: '喜欢画画',
    });
    await saveChildPhoto(db, homeId, child.id, {
      contentType: 'image/webp',
      data: new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]),
      uploadedBy: teacherId,
      at: NOW,
    });
    const sibling = options.sibling
      ? await createChild(db, homeId, { householdId: household.id, familyName: '欧阳', givenName: '思远' })
      : null;
    const kids = sibling ? [child.id, sibling.id] : [child.id];
    phoneSeq += 2;
    const motherPhone = `+86137123400${String(phoneSeq).padStart(2, '0')}`;
    const grandmaPhone = `+86137123400${String(phoneSeq + 1).padStart(2, '0')}`;
    let mother = await createContact(db, homeId, {
      householdId: household.id,
      name: '上官婉儿',
      relation: 'mother',
      phone: motherPhone,
      city: '佛山',
      timeZone: 'Asia/Shanghai',
    });
    mother = (await updateContact(db, homeId, mother.id, { approvedBy: teacherId, approvedAt: NOW }, NOW))!;
    const grandma = await createContact(db, homeId, {
      householdId: household.id,
      name: '慕容雪',
      relation: 'grandmother',
      phone: grandmaPhone,
    });
    for (const contact of [mother, grandma]) {
      await replaceAvailabilityWindows(db, homeId, contact.id, [{ weekday: 3, startTime: '12:00', endTime: '13:00' }]);
      await createFamilyDevice(db, {
        id: createId('familyDevice'),
        contactId: contact.id,
        tokenHash: createId('familyDevice'),
        via: 'code',
        now: NOW,
        expiresAt: LATER.end,
      });
    }
    await db.insert(schema.familyEnrolments).values({
      id: createId('familyEnrolment'),
      contactId: mother.id,
      tokenHash: createId('familyEnrolment'),
      expiresAt: LATER.end,
    });
    await db.insert(schema.oneTimeCodes).values({
      id: createId('oneTimeCode'),
      phone: grandmaPhone,
      codeHash: 'x',
      purpose: 'family-sign-in',
      expiresAt: NOW,
    });
    await createPairing(db, homeId, { staffId: teacherId, childId: child.id });
    for (const text of ['今天很开心', '想妈妈了']) {
      await db.insert(schema.diaryEntries).values({
        id: createId('diaryEntry'),
        homeId,
        childId: child.id,
        staffId: teacherId,
        text,
        mood: 4,
      });
    }
    const book = async (span: { start: Date; end: Date }, childIds: string[], status: 'completed' | 'confirmed') => {
      const result = await createBooking(db, {
        homeId,
        kioskId: kiosk.id,
        householdId: household.id,
        contactId: mother.id,
        childIds,
        ...span,
        status,
        source: 'teacher',
        now: NOW,
      });
      if (!result.ok) throw new Error(result.reason);
      return result.booking.id;
    };
    const past = await book(PAST, kids, 'completed');
    const callLogId = createId('callLog');
    await db.insert(schema.callLogs).values({
      id: callLogId,
      homeId,
      bookingId: past,
      outcome: 'completed',
      startedAt: PAST.start,
      endedAt: PAST.end,
      overlapSeconds: 600,
    });
    await db
      .insert(schema.callLogChildren)
      .values(kids.map((childId, i) => ({ callLogId, childId, mood: i === 0 ? 4 : 5 })));
    const sentSms = createId('smsMessage');
    await db.insert(schema.smsMessages).values({
      id: sentSms,
      homeId,
      direction: 'out',
      toPhone: motherPhone,
      body: '思琪的亲情电话在周一12:15，请准时接听【测试之家】',
      status: 'delivered',
      bookingId: past,
      contactId: mother.id,
    });
    await db.insert(schema.voiceNotifications).values({
      id: createId('voiceNotification'),
      homeId,
      bookingId: past,
      contactId: mother.id,
      purpose: 'parent-awaited',
      toPhone: motherPhone,
      provider: 'aliyun',
      status: 'answered',
      dtmf: '1',
    });
    const soon = await book(SOON, [child.id], 'confirmed');
    const pendingSms = createId('smsMessage');
    await db.insert(schema.smsMessages).values({
      id: pendingSms,
      homeId,
      direction: 'out',
      toPhone: motherPhone,
      body: '思琪的亲情电话在周三12:15，请准时接听【测试之家】',
      status: 'pending',
      bookingId: soon,
      contactId: mother.id,
    });
    const shared = sibling ? await book(LATER, kids, 'confirmed') : null;
    return { household, kiosk, child, sibling, mother, grandma, past, soon, shared, callLogId, sentSms, pendingSms };
  }

  async function callStatistics() {
    const [row] = await selectRows<{ calls: string; completed: string; seconds: string }>(
      database.db,
      sql`select count(*) as calls, count(*) filter (where outcome = 'completed') as completed,
                 coalesce(sum(overlap_seconds), 0) as seconds
          from call_logs where home_id = ${homeId}`,
    );
    return { calls: Number(row!.calls), completed: Number(row!.completed), seconds: Number(row!.seconds) };
  }

  /** Every row of every table as JSON text. */
  async function everyRow(): Promise<string> {
    const tables = await selectRows<{ name: string }>(
      database.db,
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    );
    const parts: string[] = [];
    for (const { name } of tables) {
      const rows = await selectRows<{ j: string }>(
        database.db,
        sql.raw(`select row_to_json(t)::text as j from "${name}" t`),
      );
      parts.push(...rows.map((r) => `${name}: ${r.j}`));
    }
    return parts.join('\n');
  }

  it('exports the whole record: contacts with whole numbers, windows, pairings, bookings, calls, SMS, diary, audit', async () => {
    const family = await seedFamily({ sibling: false });
    await recordAudit(database.db, {
      homeId,
      actorKind: 'staff',
      actorId: teacherId,
      action: 'child.read',
      subjectKind: 'child',
      subjectId: family.child.id,
      details: null,
      at: NOW,
    });
    await recordAudit(database.db, {
      homeId,
      actorKind: 'staff',
      actorId: teacherId,
      action: 'contact.read',
      subjectKind: 'contact',
      subjectId: family.mother.id,
      details: null,
      at: new Date(NOW.getTime() + 1000),
    });
    const record = await exportChildRecord(database.db, homeId, family.child.id);
    expect(record).not.toBeNull();
    expect(record!.child).toMatchObject({ id: family.child.id, givenName: '思琪', notes: '喜欢画画' });
    expect(record!.household.id).toBe(family.household.id);
    expect(record!.contacts.map((c) => [c.id, c.phone])).toEqual([
      [family.mother.id, family.mother.phone],
      [family.grandma.id, family.grandma.phone],
    ]);
    expect(record!.availability).toHaveLength(2);
    expect(record!.pairings).toEqual([expect.objectContaining({ staffId: teacherId, staffName: '张老师' })]);
    expect(record!.bookings.map((b) => [b.id, b.status])).toEqual([
      [family.past, 'completed'],
      [family.soon, 'confirmed'],
    ]);
    expect(record!.callLogs).toEqual([
      expect.objectContaining({ id: family.callLogId, outcome: 'completed', overlapSeconds: 600, mood: 4 }),
    ]);
    expect(record!.smsMessages.map((m) => m.id).sort()).toEqual([family.sentSms, family.pendingSms].sort());
    expect(record!.diaryEntries.map((d) => d.text)).toEqual(expect.arrayContaining(['今天很开心', '想妈妈了']));
    expect(record!.auditTrail.map((e) => [e.action, e.subjectId])).toEqual([
      ['child.read', family.child.id],
      ['contact.read', family.mother.id],
    ]);
    expect(await exportChildRecord(database.db, otherHomeId, family.child.id)).toBeNull();
    await eraseChild(database.db, homeId, family.child.id, NOW);
    expect(await exportChildRecord(database.db, homeId, family.child.id)).toBeNull();
  });

  it('erases an only child: names, notes and photo go; the household and its contacts are erased; call statistics stay', async () => {
    const before = await callStatistics();
    const family = await seedFamily({ sibling: false });
    const seeded = await callStatistics();
    expect(seeded).toEqual({ calls: before.calls + 1, completed: before.completed + 1, seconds: before.seconds + 600 });
    const db = database.db;

    expect(await eraseChild(db, otherHomeId, family.child.id, NOW)).toBeNull();
    expect((await getChild(db, homeId, family.child.id))?.erasedAt).toBeNull();

    const erasure = await eraseChild(db, homeId, family.child.id, NOW);
    expect(erasure).toEqual({
      childId: family.child.id,
      householdId: family.household.id,
      erasedAt: NOW,
      householdErased: true,
      deletedContactIds: [family.grandma.id],
      blankedContactIds: [family.mother.id],
      cancelledBookingIds: [family.soon],
      counts: { photos: 1, diaryEntries: 2, pairings: 1, callLogLinks: 1, bookingLinks: 2, smsRedacted: 2 },
    });

    const child = await getChild(db, homeId, family.child.id);
    expect(child).toMatchObject({
      familyName: '',
      givenName: ERASED_TEXT,
      className: null,
      birthYear: null,
      photoVersion: null,
      notes: null,
      erasedAt: NOW,
      archivedAt: NOW,
    });
    const listed = await listChildren(db, homeId, {
      householdId: family.household.id,
      includeArchived: true,
      limit: 10,
      offset: 0,
    });
    expect(listed.total).toBe(0);
    expect(await exportChildRecord(db, homeId, family.child.id)).toBeNull();
    expect(await eraseChild(db, homeId, family.child.id, NOW)).toBeNull();

    // The statistics survive, with no child attached.
    expect(await callStatistics()).toEqual(seeded);
    const [log] = await db.select().from(schema.callLogs).where(eq(schema.callLogs.id, family.callLogId));
    expect(log).toMatchObject({ outcome: 'completed', overlapSeconds: 600, bookingId: family.past });
    expect(
      await db.select().from(schema.callLogChildren).where(eq(schema.callLogChildren.callLogId, family.callLogId)),
    ).toEqual([]);
    const [past] = await db.select().from(schema.bookings).where(eq(schema.bookings.id, family.past));
    expect(past?.status).toBe('completed');
    const [soon] = await db.select().from(schema.bookings).where(eq(schema.bookings.id, family.soon));
    expect(soon).toMatchObject({ status: 'cancelled', cancelReason: 'erased', version: 2 });

    expect(await db.select().from(schema.diaryEntries).where(eq(schema.diaryEntries.childId, family.child.id))).toEqual(
      [],
    );
    expect(await db.select().from(schema.childPhotos).where(eq(schema.childPhotos.childId, family.child.id))).toEqual(
      [],
    );
    expect(await getChildPhoto(db, homeId, family.child.id)).toBeNull();
    expect(await db.select().from(schema.pairings).where(eq(schema.pairings.childId, family.child.id))).toEqual([]);

    const [household] = await db.select().from(schema.households).where(eq(schema.households.id, family.household.id));
    expect(household).toMatchObject({ name: ERASED_TEXT, archivedAt: NOW });
    expect(await db.select().from(schema.contacts).where(eq(schema.contacts.id, family.grandma.id))).toEqual([]);
    const [mother] = await db.select().from(schema.contacts).where(eq(schema.contacts.id, family.mother.id));
    expect(mother).toMatchObject({
      name: ERASED_TEXT,
      phone: '+9990000000001',
      city: null,
      revokedAt: NOW,
      smsOptOut: true,
      phoneFallback: false,
    });
    for (const table of [schema.familyDevices, schema.familyEnrolments, schema.availabilityWindows]) {
      expect(await db.select().from(table).where(eq(table.contactId, family.mother.id))).toEqual([]);
    }
    const messages = await db.select().from(schema.smsMessages).where(eq(schema.smsMessages.homeId, homeId));
    const sent = messages.find((m) => m.id === family.sentSms);
    expect(sent).toMatchObject({ body: ERASED_TEXT, toPhone: ERASED_SMS_PHONE, status: 'delivered' });
    expect(messages.find((m) => m.id === family.pendingSms)).toMatchObject({ body: ERASED_TEXT, status: 'cancelled' });

    // Nothing anywhere still names the child or the family, or holds their numbers.
    const dump = await everyRow();
    for (const word of PERSONAL) expect(dump.includes(word), word).toBe(false);
  });

  it('erases a child with a sibling: the household and contacts stay; a shared booking goes ahead without the child', async () => {
    const family = await seedFamily({ sibling: true });
    const db = database.db;
    const erasure = await eraseChild(db, homeId, family.child.id, NOW);
    expect(erasure).toMatchObject({
      householdErased: false,
      deletedContactIds: [],
      blankedContactIds: [],
      cancelledBookingIds: [family.soon],
      counts: { callLogLinks: 1, bookingLinks: 3 },
    });
    const contacts = await db
      .select()
      .from(schema.contacts)
      .where(eq(schema.contacts.householdId, family.household.id));
    expect(contacts.map((c) => c.phone).sort()).toEqual([family.mother.phone, family.grandma.phone].sort());
    const [household] = await db.select().from(schema.households).where(eq(schema.households.id, family.household.id));
    expect(household).toMatchObject({ name: '欧阳家', archivedAt: null });

    const [shared] = await db.select().from(schema.bookings).where(eq(schema.bookings.id, family.shared!));
    expect(shared).toMatchObject({ status: 'confirmed', version: 1 });
    const links = await db
      .select()
      .from(schema.bookingChildren)
      .where(eq(schema.bookingChildren.bookingId, family.shared!));
    expect(links.map((l) => l.childId)).toEqual([family.sibling!.id]);
    const moods = await db
      .select()
      .from(schema.callLogChildren)
      .where(eq(schema.callLogChildren.callLogId, family.callLogId));
    expect(moods).toEqual([{ callLogId: family.callLogId, childId: family.sibling!.id, mood: 5 }]);

    // The last child's erasure erases the household and its contacts too.
    const last = await eraseChild(db, homeId, family.sibling!.id, NOW);
    expect(last).toMatchObject({
      householdErased: true,
      deletedContactIds: [family.grandma.id],
      blankedContactIds: [family.mother.id],
      cancelledBookingIds: [family.shared],
    });
    const [mother] = await db.select().from(schema.contacts).where(eq(schema.contacts.id, family.mother.id));
    expect(mother?.phone).toBe('+9990000000001');
  });

  it('numbers placeholders so they stay unique in a household erased twice', async () => {
    const family = await seedFamily({ sibling: false });
    const db = database.db;
    await eraseChild(db, homeId, family.child.id, NOW);
    const again = await createChild(db, homeId, {
      householdId: family.household.id,
      familyName: '欧阳',
      givenName: '思琪',
    });
    const contact = await createContact(db, homeId, {
      householdId: family.household.id,
      name: '上官婉儿',
      relation: 'mother',
      phone: '+8613712349999',
    });
    const booked = await createBooking(db, {
      homeId,
      kioskId: family.kiosk.id,
      householdId: family.household.id,
      contactId: contact.id,
      childIds: [again.id],
      start: new Date('2026-09-11T04:15:00Z'),
      end: new Date('2026-09-11T04:30:00Z'),
      status: 'completed',
      source: 'teacher',
      now: NOW,
    });
    expect(booked.ok).toBe(true);
    const erasure = await eraseChild(db, homeId, again.id, NOW);
    expect(erasure?.blankedContactIds).toEqual([contact.id]);
    const phones = await db
      .select({ phone: schema.contacts.phone })
      .from(schema.contacts)
      .where(and(eq(schema.contacts.householdId, family.household.id)));
    expect(phones.map((p) => p.phone).sort()).toEqual(['+9990000000001', '+9990000000002']);
  });

  it('erases two siblings at the same time and still erases the household', async () => {
    const family = await seedFamily({ sibling: true });
    const db = database.db;
    const results = await Promise.all([
      eraseChild(db, homeId, family.child.id, NOW),
      eraseChild(db, homeId, family.sibling!.id, NOW),
    ]);
    expect(results.map((r) => r?.householdErased).sort()).toEqual([false, true]);
    const [household] = await db.select().from(schema.households).where(eq(schema.households.id, family.household.id));
    expect(household?.name).toBe(ERASED_TEXT);
    const contacts = await db
      .select()
      .from(schema.contacts)
      .where(eq(schema.contacts.householdId, family.household.id));
    expect(contacts.map((c) => c.name)).toEqual([ERASED_TEXT]);
  });
});

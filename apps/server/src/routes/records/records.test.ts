import {
  createBooking,
  createChild,
  createContact,
  createHousehold,
  createId,
  createStaff,
  createStaffSession,
  listAuditForSubject,
  schema,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface ExportDto {
  format: string;
  child: { id: string; givenName: string; notes: string | null };
  household: { id: string; name: string };
  contacts: { id: string; phone: string }[];
  availability: unknown[];
  pairings: { staffId: string }[];
  bookings: { id: string }[];
  callLogs: { id: string; mood: number | null }[];
  diaryEntries: { text: string }[];
  auditTrail: { action: string; subjectId: string }[];
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('records API: export and erasure (%s)', (kind) => {
  let world: ApiWorld;
  /** Headers of an admin of Home B (the world signs in only a teacher there). */
  let adminB: Record<string, string>;
  let phoneSeq = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    const member = await createStaff(db, world.b.home.id, {
      role: 'admin',
      displayName: '测试之家B另一位管理员',
      username: `admin2-${world.b.home.id}`,
      passwordHash: 'x',
    });
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(db, {
      staffId: member.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    adminB = { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  });
  afterAll(async () => {
    await world?.close();
  });

  /** A household in Home A with one child, a mother on a past call and a grandmother on none. */
  async function seedFamily() {
    const db = world.database.db;
    const homeId = world.a.home.id;
    const household = await createHousehold(db, homeId, { name: '欧阳家' });
    const child = await createChild(db, homeId, {
      householdId: household.id,
      familyName: '欧阳',
      givenName: '思琪',
      notes: '喜欢画画',
    });
    phoneSeq += 2;
    const mother = await createContact(db, homeId, {
      householdId: household.id,
      name: '上官婉儿',
      relation: 'mother',
      phone: `+86137123400${String(phoneSeq).padStart(2, '0')}`,
    });
    const grandma = await createContact(db, homeId, {
      householdId: household.id,
      name: '慕容雪',
      relation: 'grandmother',
      phone: `+86137123400${String(phoneSeq + 1).padStart(2, '0')}`,
    });
    const start = new Date(Date.UTC(2026, 7, 1, 4, phoneSeq));
    const booking = await createBooking(db, {
      homeId,
      kioskId: world.a.kiosk.id,
      householdId: household.id,
      contactId: mother.id,
      childIds: [child.id],
      start,
      end: new Date(start.getTime() + 60_000),
      status: 'completed',
      source: 'teacher',
      now: start,
    });
    if (!booking.ok) throw new Error(booking.reason);
    const callLogId = createId('callLog');
    await db.insert(schema.callLogs).values({
      id: callLogId,
      homeId,
      bookingId: booking.booking.id,
      outcome: 'completed',
      overlapSeconds: 55,
    });
    await db.insert(schema.callLogChildren).values({ callLogId, childId: child.id, mood: 5 });
    await db.insert(schema.diaryEntries).values({
      id: createId('diaryEntry'),
      homeId,
      childId: child.id,
      staffId: world.a.teacher.id,
      text: '今天很开心',
    });
    return { household, child, mother, grandma, bookingId: booking.booking.id, callLogId };
  }

  function erase(childId: string, confirm: unknown, as: 'adminA' | 'teacherA' = 'adminA') {
    return world.request(`/api/children/${childId}/erase`, { as, json: { confirm } });
  }

  it("exports a child's whole record as a JSON attachment, with whole numbers, audited", async () => {
    const family = await seedFamily();
    expect((await world.request(`/api/children/${family.child.id}`, { as: 'teacherA' })).status).toBe(200);

    const res = await world.request(`/api/children/${family.child.id}/export`, { as: 'adminA' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${family.child.id}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const file = (await res.json()) as ExportDto;
    expect(file.format).toBe('affection-phone/child-record@1');
    expect(file.child).toMatchObject({ id: family.child.id, givenName: '思琪', notes: '喜欢画画' });
    expect(file.household).toMatchObject({ id: family.household.id, name: '欧阳家' });
    expect(file.contacts.map((c) => c.phone)).toEqual([family.mother.phone, family.grandma.phone]);
    expect(file.bookings.map((b) => b.id)).toEqual([family.bookingId]);
    expect(file.callLogs).toEqual([expect.objectContaining({ id: family.callLogId, mood: 5 })]);
    expect(file.diaryEntries.map((d) => d.text)).toEqual(['今天很开心']);
    expect(file.auditTrail.map((e) => e.action)).toContain('child.read');

    const trail = await listAuditForSubject(world.database.db, 'child', family.child.id);
    const exported = trail.find((e) => e.action === 'child.export');
    expect(exported).toMatchObject({ actorId: world.a.admin.id, details: null });
  });

  it('exports and erases for admins only, and only their own Home’s children', async () => {
    const id = world.a.child.id;
    expect((await world.request(`/api/children/${id}/export`, { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(`/api/children/${id}/export`, { as: 'teacherA' })).status).toBe(403);
    expect((await world.request(`/api/children/${id}/export`, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(`/api/children/${id}/export`, { as: 'familyA' })).status).toBe(403);
    expect((await world.request(`/api/children/${id}/export`, { headers: adminB })).status).toBe(404);
    expect((await world.request('/api/children/chd_0000000000000000/export', { as: 'adminA' })).status).toBe(404);

    expect((await world.request(`/api/children/${id}/erase`, { as: 'anonymous', json: { confirm: id } })).status).toBe(
      401,
    );
    expect((await erase(id, id, 'teacherA')).status).toBe(403);
    expect((await world.request(`/api/children/${id}/erase`, { as: 'familyA', json: { confirm: id } })).status).toBe(
      403,
    );
    const other = await world.app.request(`/api/children/${id}/erase`, {
      method: 'POST',
      headers: { ...adminB, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: id }),
    });
    expect(other.status).toBe(404);
    const noCsrf = await world.app.request(`/api/children/${id}/erase`, {
      method: 'POST',
      headers: { cookie: world.headersFor('adminA').cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: id }),
    });
    expect(noCsrf.status).toBe(403);
    expect((await world.request(`/api/children/${id}`, { as: 'teacherA' })).status).toBe(200);
  });

  it('refuses to erase without the child’s id typed again', async () => {
    const family = await seedFamily();
    for (const confirm of [world.a.child.id, 'yes', '']) {
      const res = await erase(family.child.id, confirm);
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: { code: string; details: { fields: { path: string; key: string }[] } };
      };
      expect(body.error.code).toBe('validation-failed');
      expect(body.error.details.fields).toEqual([
        expect.objectContaining({ path: 'confirm', key: 'validation.erase_confirm' }),
      ]);
    }
    const missing = await world.request(`/api/children/${family.child.id}/erase`, { as: 'adminA', json: {} });
    expect(missing.status).toBe(400);
    expect((await world.request(`/api/children/${family.child.id}`, { as: 'teacherA' })).status).toBe(200);
  });

  it('erases a child: gone from reads, lists and export; contacts erased; call statistics kept; audited with ids only', async () => {
    const family = await seedFamily();
    const res = await erase(family.child.id, family.child.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      childId: family.child.id,
      householdId: family.household.id,
      householdErased: true,
      deletedContactIds: [family.grandma.id],
      blankedContactIds: [family.mother.id],
      counts: { diaryEntries: 1, callLogLinks: 1, bookingLinks: 1 },
    });

    expect((await world.request(`/api/children/${family.child.id}`, { as: 'teacherA' })).status).toBe(404);
    const list = (await (
      await world.request(`/api/children?householdId=${family.household.id}&includeArchived=true`, { as: 'teacherA' })
    ).json()) as { total: number };
    expect(list.total).toBe(0);
    expect((await world.request(`/api/children/${family.child.id}/export`, { as: 'adminA' })).status).toBe(404);
    expect((await erase(family.child.id, family.child.id)).status).toBe(404);
    for (const contact of [family.mother, family.grandma]) {
      expect((await world.request(`/api/contacts/${contact.id}`, { as: 'teacherA' })).status).toBe(404);
    }
    const household = (await (
      await world.request(`/api/households/${family.household.id}`, { as: 'teacherA' })
    ).json()) as { name: string; children: unknown[]; contacts: unknown[]; archivedAt: string | null };
    expect(household).toMatchObject({ name: '已删除', children: [], contacts: [] });
    expect(household.archivedAt).not.toBeNull();

    const logs = await world.database.db.select().from(schema.callLogs);
    const log = logs.find((row) => row.id === family.callLogId);
    expect(log).toMatchObject({ outcome: 'completed', overlapSeconds: 55 });

    const trail = await listAuditForSubject(world.database.db, 'child', family.child.id);
    const erased = trail.find((e) => e.action === 'child.erase');
    expect(erased).toMatchObject({
      actorId: world.a.admin.id,
      details: {
        householdId: family.household.id,
        householdErased: true,
        deletedContactIds: [family.grandma.id],
        blankedContactIds: [family.mother.id],
        cancelledBookingIds: [],
      },
    });
    expect(JSON.stringify(trail)).not.toMatch(/欧阳|思琪|上官|慕容|13712/);
  });
});

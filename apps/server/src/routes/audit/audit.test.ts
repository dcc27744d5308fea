import { createBooking, recordAudit } from '@affection/db';
import { type ApiWorld, createApiWorld, FIXTURE_PASSWORD, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface AuditPage {
  items: {
    id: string;
    at: string;
    actor: { kind: string; id: string | null; name: string | null };
    action: string;
    subjectKind: string;
    subjectId: string | null;
    fields: string[];
    detailKeys: string[];
  }[];
  nextCursor: string | null;
  timeZone: string;
}

interface ErrorBody {
  error: { code: string; details?: { fields?: { path: string; key: string; message: Record<string, string> }[] } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('audit log API (%s)', (kind) => {
  let world: ApiWorld;
  let bookingId: string;
  let adminBHeaders: Record<string, string>;
  // Days in Shanghai: the 7th, 8th and 9th of September 2026, at 10:00 local (02:00 UTC).
  const day = (n: number, minute = 0) => new Date(Date.UTC(2026, 8, 7 + n, 2, minute));

  const read = async (query: string, as: 'adminA' | 'teacherA' = 'adminA') => {
    const res = await world.request(`/api/audit${query}`, { as });
    expect(res.status).toBe(200);
    return (await res.json()) as AuditPage;
  };

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const { a } = world;
    // The 7th: the admin renames the teacher (a staff change), then a teacher reads the child's record.
    world.setNow(day(0));
    const renamed = await world.request(`/api/staff/${a.teacher.id}`, {
      method: 'PATCH',
      as: 'adminA',
      json: { displayName: '新名字老师' },
    });
    expect(renamed.status).toBe(200);
    world.setNow(day(0, 5));
    expect((await world.request(`/api/children/${a.child.id}`, { as: 'teacherA' })).status).toBe(200);
    // The 8th: the admin cancels a call of the child (an event about the booking, not the child).
    world.setNow(day(1));
    const booked = await createBooking(world.database.db, {
      homeId: a.home.id,
      kioskId: a.kiosk.id,
      householdId: a.household.id,
      contactId: a.contact.id,
      childIds: [a.child.id],
      start: day(2, 30),
      end: day(2, 45),
      status: 'confirmed',
      source: 'teacher',
      now: day(1),
    });
    if (!booked.ok) throw new Error(booked.reason);
    bookingId = booked.booking.id;
    const cancelled = await world.request(`/api/bookings/${bookingId}/cancel`, {
      as: 'adminA',
      json: { reason: '家长临时加班' },
    });
    expect(cancelled.status).toBe(200);
    // The 9th: the admin changes a setting of the Home.
    world.setNow(day(2));
    expect(
      (await world.request('/api/home', { method: 'PATCH', as: 'adminA', json: { slotMinutes: 20 } })).status,
    ).toBe(200);
    // Home B's admin signs in (a real session) and changes Home B.
    const login = await world.request('/api/auth/login', {
      json: { login: world.b.admin.username ?? '', password: FIXTURE_PASSWORD },
    });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    adminBHeaders = { cookie, 'x-csrf-token': csrfToken };
    world.setNow(day(2, 10));
    const changedB = await world.app.request('/api/home', {
      method: 'PATCH',
      headers: { ...adminBHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ bufferMinutes: 10 }),
    });
    expect(changedB.status).toBe(200);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('lists who did what, newest first, with field names and never values', async () => {
    const page = await read('');
    const actions = page.items.map((item) => item.action);
    expect(actions.slice(0, 4)).toEqual(['home.update', 'booking.cancel', 'child.read', 'staff.update']);
    expect(page.timeZone).toBe('Asia/Shanghai');
    const [home, cancel, childRead, staffUpdate] = page.items;
    expect(home).toMatchObject({
      at: day(2).toISOString(),
      actor: { kind: 'staff', id: world.a.admin.id, name: world.a.admin.displayName },
      subjectKind: 'home',
      subjectId: world.a.home.id,
      fields: ['slotMinutes'],
    });
    expect(cancel).toMatchObject({ subjectKind: 'booking', subjectId: bookingId, fields: [] });
    expect(cancel?.detailKeys).toContain('childIds');
    expect(childRead).toMatchObject({
      actor: { kind: 'staff', id: world.a.teacher.id, name: '新名字老师' },
      subjectKind: 'child',
      subjectId: world.a.child.id,
    });
    expect(staffUpdate).toMatchObject({ subjectKind: 'staff', subjectId: world.a.teacher.id, fields: ['displayName'] });
    for (const item of page.items) {
      expect(Object.keys(item).sort()).toEqual(
        ['action', 'actor', 'at', 'detailKeys', 'fields', 'id', 'subjectId', 'subjectKind'].sort(),
      );
    }
    const text = JSON.stringify(page);
    expect(text).not.toContain('"slotMinutes":');
    expect(text).not.toContain('家长临时加班');
    expect(text).not.toContain(world.a.contact.phone);
  });

  it("shows Home B's admin none of Home A's events, and Home A's admin none of Home B's", async () => {
    const res = await world.app.request('/api/audit', { headers: adminBHeaders });
    expect(res.status).toBe(200);
    const pageB = (await res.json()) as AuditPage;
    expect(pageB.items.some((item) => item.action === 'home.update' && item.subjectId === world.b.home.id)).toBe(true);
    const textB = JSON.stringify(pageB);
    for (const id of [world.a.home.id, world.a.teacher.id, world.a.child.id, world.a.admin.id, bookingId]) {
      expect(textB).not.toContain(id);
    }
    const pageA = await read('?limit=200');
    expect(JSON.stringify(pageA)).not.toContain(world.b.home.id);
    // Filtering by Home A's child or staff from Home B finds nothing.
    const filtered = await world.app.request(`/api/audit?childId=${world.a.child.id}&staffId=${world.a.admin.id}`, {
      headers: adminBHeaders,
    });
    expect(((await filtered.json()) as AuditPage).items).toEqual([]);
  });

  it("filters by staff member: only what that person did, under today's name", async () => {
    const page = await read(`?staffId=${world.a.teacher.id}`);
    expect(page.items.map((item) => item.action)).toEqual(['child.read']);
    const admin = await read(`?staffId=${world.a.admin.id}`);
    expect(admin.items.map((item) => item.action).slice(0, 3)).toEqual([
      'home.update',
      'booking.cancel',
      'staff.update',
    ]);
    expect(admin.items.every((item) => item.actor.id === world.a.admin.id)).toBe(true);
  });

  it("filters by child: the child's own events and those of the child's bookings", async () => {
    const page = await read(`?childId=${world.a.child.id}`);
    expect(page.items.map((item) => [item.action, item.subjectId])).toEqual([
      ['booking.cancel', bookingId],
      ['child.read', world.a.child.id],
    ]);
    const other = await read(`?childId=${world.b.child.id}`);
    expect(other.items).toEqual([]);
  });

  it("filters by days in the Home's zone, both ends included", async () => {
    const eighth = await read('?from=2026-09-08&to=2026-09-08');
    expect(eighth.items.map((item) => item.action)).toEqual(['booking.cancel']);
    const fromEighth = await read('?from=2026-09-08');
    expect(fromEighth.items.map((item) => item.action)).toEqual(['home.update', 'booking.cancel']);
    const untilSeventh = await read('?to=2026-09-07');
    expect(untilSeventh.items.map((item) => item.action).slice(0, 2)).toEqual(['child.read', 'staff.update']);
    expect(untilSeventh.items.every((item) => item.at < day(1).toISOString())).toBe(true);
  });

  it('pages by cursor, newest first, without gaps or repeats', async () => {
    const all = await read('?limit=200');
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await read(query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen).toEqual(all.items.map((item) => item.id));
    expect(pages).toBe(Math.ceil(all.items.length / 2));
  });

  it('answers bad days and a bad cursor with a clear 400 at the field', async () => {
    const cases: [string, string, string][] = [
      ['?from=2026-02-30', 'from', 'validation.date'],
      ['?to=yesterday', 'to', 'validation.date'],
      ['?from=2026-09-09&to=2026-09-08', 'to', 'validation.date_order'],
      ['?cursor=not-a-cursor', 'cursor', 'validation.cursor'],
      [`?cursor=${Buffer.from('123.stf_7m2k9x4q1b8c0d5e').toString('base64url')}`, 'cursor', 'validation.cursor'],
      ['?staffId=teacher', 'staffId', 'validation.id'],
      ['?limit=0', 'limit', 'validation.too_small'],
    ];
    for (const [query, path, key] of cases) {
      const res = await world.request(`/api/audit${query}`, { as: 'adminA' });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as ErrorBody;
      const field = body.error.details?.fields?.find((f) => f.path === path);
      expect(field?.key, query).toBe(key);
      expect(field?.message['zh-CN'], query).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names a kiosk by its name, and a parent and the system only by their kind', async () => {
    const { a } = world;
    const at = day(3);
    await recordAudit(world.database.db, {
      homeId: a.home.id,
      actorKind: 'kiosk',
      actorId: a.kiosk.id,
      action: 'call.join',
      subjectKind: 'booking',
      subjectId: bookingId,
      details: null,
      at,
    });
    await recordAudit(world.database.db, {
      homeId: a.home.id,
      actorKind: 'family',
      actorId: a.contact.id,
      action: 'family.sign-in',
      subjectKind: 'contact',
      subjectId: a.contact.id,
      details: { deviceId: 'fdv_7m2k9x4q1b8c0d5e' },
      at: new Date(at.getTime() + 1000),
    });
    await recordAudit(world.database.db, {
      homeId: a.home.id,
      actorKind: 'system',
      actorId: null,
      action: 'booking.propose',
      subjectKind: 'booking',
      subjectId: bookingId,
      details: { childIds: [a.child.id], fields: ['start'] },
      at: new Date(at.getTime() + 2000),
    });
    const page = await read('?from=2026-09-10&to=2026-09-10');
    expect(page.items.map((item) => [item.action, item.actor])).toEqual([
      ['booking.propose', { kind: 'system', id: null, name: null }],
      ['family.sign-in', { kind: 'family', id: a.contact.id, name: null }],
      ['call.join', { kind: 'kiosk', id: a.kiosk.id, name: a.kiosk.name }],
    ]);
    expect(page.items[0]).toMatchObject({ fields: ['start'], detailKeys: ['childIds'] });
    expect(page.items[1]).toMatchObject({ fields: [], detailKeys: ['deviceId'] });
    const text = JSON.stringify(page);
    expect(text).not.toContain(a.contact.name);
    expect(text).not.toContain('fdv_7m2k9x4q1b8c0d5e');
    // Events of the child's booking are the child's, whoever made them.
    const ofChild = await read(`?childId=${a.child.id}&from=2026-09-10`);
    expect(ofChild.items.map((item) => item.action)).toEqual(['booking.propose', 'call.join']);
  });

  it('is for the admin only', async () => {
    expect((await world.request('/api/audit')).status).toBe(401);
    expect((await world.request('/api/audit', { as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/api/audit', { as: 'teacherB' })).status).toBe(403);
    expect((await world.request('/api/audit', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/audit', { as: 'familyA' })).status).toBe(403);
  });
});

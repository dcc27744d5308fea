import { createBooking, listAuditForSubject } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('children API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('creates, reads, updates, searches and archives a child', async () => {
    const created = await world.request('/api/children', {
      as: 'teacherA',
      json: {
        householdId: world.a.household.id,
        familyName: '张',
        givenName: '小红',
        className: '二年级一班',
        birthYear: 2018,
      },
    });
    expect(created.status).toBe(201);
    const child = (await created.json()) as { id: string; givenName: string; hasPhoto: boolean };
    expect(child).toMatchObject({ givenName: '小红', hasPhoto: false });
    expect(child.id).toMatch(/^chd_[0-9a-z]{16}$/);

    const read = await world.request(`/api/children/${child.id}`, { as: 'teacherA' });
    expect(read.status).toBe(200);
    const patched = await world.request(`/api/children/${child.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { className: '二年级二班' },
    });
    expect(await patched.json()).toMatchObject({ className: '二年级二班' });

    const search = await world.request(`/api/children?search=${encodeURIComponent('张小')}`, { as: 'teacherA' });
    const page = (await search.json()) as { items: { id: string }[]; total: number };
    expect(page.items.map((c) => c.id)).toEqual([child.id]);
    expect(page.total).toBe(1);

    const archived = await world.request(`/api/children/${child.id}/archive`, { as: 'teacherA', method: 'POST' });
    expect(archived.status).toBe(200);
    const after = (await (await world.request('/api/children?search=%E5%BC%A0', { as: 'teacherA' })).json()) as {
      total: number;
    };
    expect(after.total).toBe(0);

    const trail = await listAuditForSubject(world.database.db, 'child', child.id);
    expect(trail.map((e) => e.action).sort()).toEqual(['child.archive', 'child.create', 'child.read', 'child.update']);
    expect(trail.every((e) => e.actorId === world.a.teacher.id)).toBe(true);
  });

  it('pages through the list', async () => {
    const first = (await (await world.request('/api/children?limit=1&offset=0', { as: 'teacherA' })).json()) as {
      items: unknown[];
      total: number;
    };
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(1);
  });

  it('answers 400 with per-field problems in both languages', async () => {
    const res = await world.request('/api/children', {
      as: 'teacherA',
      json: { householdId: 'nope', familyName: '', birthYear: 1900, extra: 1 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: { fields: { path: string; key: string; message: Record<string, string> }[] } };
    };
    expect(body.error.code).toBe('validation-failed');
    const byPath = Object.fromEntries(body.error.details.fields.map((f) => [f.path, f]));
    expect(byPath.householdId?.key).toBe('validation.id');
    expect(byPath.givenName?.key).toBe('validation.required');
    expect(byPath.birthYear?.key).toBe('validation.too_small');
    expect(byPath.givenName?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(byPath.givenName?.message.en).toBe('This field is required.');
  });

  it('answers 400 for malformed JSON and loses nothing', async () => {
    const res = await world.app.request('/api/children', {
      method: 'POST',
      headers: { ...world.headersFor('teacherA'), 'content-type': 'application/json' },
      body: '{"householdId":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad-request' } });
  });

  it("gives staff of another Home 404 for Home A's child", async () => {
    const res = await world.request(`/api/children/${world.a.child.id}`, { as: 'teacherB' });
    expect(res.status).toBe(404);
    const patch = await world.request(`/api/children/${world.a.child.id}`, {
      as: 'teacherB',
      method: 'PATCH',
      json: { notes: 'x' },
    });
    expect(patch.status).toBe(404);
  });

  it('refuses a state change without the CSRF token', async () => {
    const headers = world.headersFor('teacherA');
    const res = await world.app.request('/api/children', {
      method: 'POST',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ householdId: world.a.household.id, familyName: '赵', givenName: '小刚' }),
    });
    expect(res.status).toBe(403);
  });
  describe('the list with household, teachers and calls (computed in one statement)', () => {
    type Overview = {
      id: string;
      householdId: string;
      householdName: string;
      className: string | null;
      pairedTeachers: { staffId: string; displayName: string }[];
      lastCallAt: string | null;
      weeksSinceLastCall: number | null;
      daysWithoutContact: number;
      nextCall: { bookingId: string; startAt: string; status: string } | null;
    };
    type Page = { items: Overview[]; total: number };
    let kid: { id: string; householdId: string };
    let contactId: string;
    const list = async (query: string, as: 'teacherA' | 'teacherB' = 'teacherA') => {
      const res = await world.request(`/api/children?${query}`, { as });
      expect(res.status).toBe(200);
      return (await res.json()) as Page;
    };

    beforeAll(async () => {
      const made = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: {
          household: { name: '欧阳家' },
          child: { familyName: '欧阳', givenName: '晓雨', className: '四年级三班', birthYear: 2016 },
          contact: { name: '林美华', relation: 'mother', phone: '139 2000 1111', city: '东莞', channel: 'video' },
        },
      });
      expect(made.status).toBe(201);
      const body = (await made.json()) as { child: { id: string; householdId: string }; contact: { id: string } };
      kid = body.child;
      contactId = body.contact.id;
      const paired = await world.request('/api/pairings', {
        as: 'adminA',
        json: { staffId: world.a.teacher.id, childId: kid.id },
      });
      expect(paired.status).toBe(201);
      const now = world.services.now();
      const db = world.database.db;
      const base = {
        homeId: world.a.home.id,
        kioskId: world.a.kiosk.id,
        householdId: kid.householdId,
        contactId,
        childIds: [kid.id],
        source: 'teacher' as const,
        now,
      };
      const past = new Date(now.getTime() - 20 * 86_400_000);
      const done = await createBooking(db, {
        ...base,
        start: past,
        end: new Date(past.getTime() + 15 * 60_000),
        status: 'completed',
      });
      expect(done.ok).toBe(true);
      const soon = new Date(now.getTime() + 3 * 86_400_000);
      const next = await createBooking(db, {
        ...base,
        start: soon,
        end: new Date(soon.getTime() + 15 * 60_000),
        status: 'confirmed',
      });
      expect(next.ok).toBe(true);
    });

    it('finds a child by a contact’s name and shows class, household, teacher, last and next call', async () => {
      const page = await list(`search=${encodeURIComponent('林美华')}`);
      expect(page.total).toBe(1);
      const [row] = page.items;
      expect(row).toMatchObject({
        id: kid.id,
        householdName: '欧阳家',
        className: '四年级三班',
        pairedTeachers: [{ staffId: world.a.teacher.id, displayName: world.a.teacher.displayName }],
        weeksSinceLastCall: 2,
        daysWithoutContact: 20,
        nextCall: { status: 'confirmed' },
      });
      expect(row?.lastCallAt).not.toBeNull();
      expect(new Date(row!.nextCall!.startAt).getTime()).toBeGreaterThan(world.services.now().getTime());
      // by the household's name and by the whole name as written
      expect((await list(`search=${encodeURIComponent('欧阳家')}`)).items.map((c) => c.id)).toEqual([kid.id]);
      expect((await list(`search=${encodeURIComponent('欧阳晓雨')}`)).items.map((c) => c.id)).toEqual([kid.id]);
    });

    it('finds a child by the pinyin initials of its own, its household’s or a parent’s name', async () => {
      expect((await list('search=oyxy')).items.map((c) => c.id)).toEqual([kid.id]);
      expect((await list('search=OYX')).items.map((c) => c.id)).toEqual([kid.id]);
      expect((await list('search=lmh')).items.map((c) => c.id)).toEqual([kid.id]);
      expect((await list('search=oyxy', 'teacherB')).total).toBe(0);
    });

    it('lists names in pinyin order, as a Chinese reader expects', async () => {
      const extra = ['周', '何', '陈', '李'];
      for (const familyName of extra) {
        const res = await world.request('/api/children', {
          as: 'teacherA',
          json: { householdId: world.a.household.id, familyName, givenName: '排序' },
        });
        expect(res.status).toBe(201);
      }
      const page = await list(`search=${encodeURIComponent('排序')}`);
      expect(page.items.map((c) => (c as unknown as { familyName: string }).familyName)).toEqual([
        '陈',
        '何',
        '李',
        '周',
      ]);
    });

    it('filters by paired teacher, by no contact for N days and sorts by the longest wait', async () => {
      const mine = await list(`pairedStaffId=${world.a.teacher.id}`);
      expect(mine.items.map((c) => c.id)).toContain(kid.id);
      expect(mine.items.every((c) => c.pairedTeachers.some((t) => t.staffId === world.a.teacher.id))).toBe(true);
      const unpaired = await list('pairedStaffId=none&limit=200');
      expect(unpaired.items.map((c) => c.id)).not.toContain(kid.id);
      expect(unpaired.items.every((c) => c.pairedTeachers.length === 0)).toBe(true);
      expect((await list('noContactDays=14&limit=200')).items.map((c) => c.id)).toContain(kid.id);
      expect((await list('noContactDays=21&limit=200')).items.map((c) => c.id)).not.toContain(kid.id);
      const waiting = await list('sort=wait&limit=200');
      const days = waiting.items.map((c) => c.daysWithoutContact);
      expect(days).toEqual([...days].sort((a, b) => b - a));
    });

    it('lists archived children only when asked, and pages with a total', async () => {
      const before = await list('limit=1&offset=0');
      expect(before.items).toHaveLength(1);
      const past = await list(`limit=1&offset=${before.total + 5}`);
      expect(past).toMatchObject({ items: [], total: before.total });
      expect((await list('includeArchived=only&limit=200')).items.every((c) => c.id !== kid.id)).toBe(true);
    });

    it('answers the record with the same columns, audited', async () => {
      const res = await world.request(`/api/children/${kid.id}`, { as: 'teacherA' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: kid.id, householdName: '欧阳家', weeksSinceLastCall: 2 });
      const trail = await listAuditForSubject(world.database.db, 'child', kid.id);
      expect(trail.map((e) => e.action)).toContain('child.read');
    });

    it('answers 400 for a bad filter', async () => {
      for (const query of [
        'noContactDays=0',
        'noContactDays=abc',
        'pairedStaffId=someone',
        'includeArchived=maybe',
        'sort=age',
      ]) {
        const res = await world.request(`/api/children?${query}`, { as: 'teacherA' });
        expect(res.status, query).toBe(400);
      }
    });

    it('never shows Home A’s children, teachers or contacts to Home B', async () => {
      expect((await list(`search=${encodeURIComponent('林美华')}`, 'teacherB')).total).toBe(0);
      expect((await list(`pairedStaffId=${world.a.teacher.id}`, 'teacherB')).total).toBe(0);
      const all = await list('limit=200&includeArchived=true', 'teacherB');
      expect(all.items.map((c) => c.id)).not.toContain(kid.id);
      expect(all.items.map((c) => c.id)).not.toContain(world.a.child.id);
      expect((await world.request(`/api/children/${kid.id}`, { as: 'teacherB' })).status).toBe(404);
      expect((await world.request('/api/children', { as: 'kioskA' })).status).toBe(403);
      expect((await world.request('/api/children', { as: 'familyA' })).status).toBe(403);
      expect((await world.request('/api/children', { as: 'anonymous' })).status).toBe(401);
    });
  });

  describe('POST /api/children/intake: a child with a new or existing household, all or nothing', () => {
    const countOf = async (householdId: string) =>
      (
        (await (
          await world.request(`/api/children?householdId=${householdId}&includeArchived=true`, { as: 'teacherA' })
        ).json()) as {
          total: number;
        }
      ).total;

    it('adds a child and a contact to an existing household and audits each', async () => {
      const before = await countOf(world.a.household.id);
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: {
          household: { id: world.a.household.id },
          child: { familyName: '王', givenName: '小芳', className: '一年级一班', birthYear: 2019 },
          contact: { name: '王奶奶', relation: 'grandmother', phone: '+86 137 0000 2222', timeZone: 'Asia/Shanghai' },
        },
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as {
        householdCreated: boolean;
        household: { id: string };
        child: { id: string; householdId: string };
        contact: { id: string; phoneMasked: string; status: string; phone?: string };
      };
      expect(body.householdCreated).toBe(false);
      expect(body.child.householdId).toBe(world.a.household.id);
      expect(body.contact.status).toBe('pending');
      expect(body.contact.phone).toBeUndefined();
      expect(body.contact.phoneMasked).not.toContain('00002222');
      expect(await countOf(world.a.household.id)).toBe(before + 1);
      const childTrail = await listAuditForSubject(world.database.db, 'child', body.child.id);
      expect(childTrail.map((e) => e.action)).toEqual(['child.create']);
      const contactTrail = await listAuditForSubject(world.database.db, 'contact', body.contact.id);
      expect(contactTrail.map((e) => e.action)).toEqual(['contact.create']);
    });

    it('makes a new household without a contact when none is given', async () => {
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: { household: { name: '赵家' }, child: { familyName: '赵', givenName: '小龙' } },
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { householdCreated: boolean; household: { id: string }; contact: null };
      expect(body).toMatchObject({ householdCreated: true, contact: null });
      const trail = await listAuditForSubject(world.database.db, 'household', body.household.id);
      expect(trail.map((e) => e.action)).toEqual(['household.create']);
    });

    it('leaves nothing made when the contact’s number is already in the household (409 at contact.phone)', async () => {
      const before = await countOf(world.a.household.id);
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: {
          household: { id: world.a.household.id },
          child: { familyName: '王', givenName: '小亮' },
          contact: { name: '另一个', relation: 'father', phone: world.a.contact.phone },
        },
      });
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { details: { reason: string; fields: { path: string }[] } } };
      expect(body.error.details.reason).toBe('phone-taken');
      expect(body.error.details.fields.map((f) => f.path)).toEqual(['contact.phone']);
      expect(await countOf(world.a.household.id)).toBe(before);
      const search = (await (
        await world.request(`/api/children?search=${encodeURIComponent('小亮')}`, { as: 'teacherA' })
      ).json()) as {
        total: number;
      };
      expect(search.total).toBe(0);
    });

    it('answers 400 with each problem at its field, and makes nothing', async () => {
      const households = async () =>
        ((await (await world.request('/api/households?limit=200', { as: 'teacherA' })).json()) as { total: number })
          .total;
      const before = await households();
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: {
          household: { id: world.a.household.id, name: '两个都给' },
          child: { familyName: '李', givenName: '', birthYear: 1990 },
          contact: { name: '李妈妈', relation: 'aunt', phone: '12', timeZone: 'Mars/Base' },
        },
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { details: { fields: { path: string; key: string }[] } } };
      const paths = body.error.details.fields.map((f) => f.path);
      for (const path of [
        'household',
        'child.givenName',
        'child.birthYear',
        'contact.relation',
        'contact.phone',
        'contact.timeZone',
      ]) {
        expect(paths, path).toContain(path);
      }
      expect(await households()).toBe(before);
    });

    it('refuses an archived household with 422 and makes nothing', async () => {
      const household = (await (
        await world.request('/api/households', { as: 'teacherA', json: { name: '已搬走' } })
      ).json()) as {
        id: string;
      };
      expect(
        (await world.request(`/api/households/${household.id}/archive`, { as: 'teacherA', method: 'POST' })).status,
      ).toBe(200);
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: { household: { id: household.id }, child: { familyName: '孙', givenName: '小北' } },
      });
      expect(res.status).toBe(422);
      expect(await countOf(household.id)).toBe(0);
    });

    it('treats a household of another Home as unknown (404), and refuses callers who are not staff', async () => {
      const res = await world.request('/api/children/intake', {
        as: 'teacherA',
        json: { household: { id: world.b.household.id }, child: { familyName: '周', givenName: '小南' } },
      });
      expect(res.status).toBe(404);
      expect(await countOf(world.b.household.id).catch(() => 0)).toBe(0);
      const bSees = (await (
        await world.request(`/api/households/${world.b.household.id}`, { as: 'teacherB' })
      ).json()) as {
        children: { givenName: string }[];
      };
      expect(bSees.children.map((c) => c.givenName)).not.toContain('小南');
      const json = { household: { name: '钱家' }, child: { familyName: '钱', givenName: '小西' } };
      expect((await world.request('/api/children/intake', { as: 'kioskA', json })).status).toBe(403);
      expect((await world.request('/api/children/intake', { as: 'familyA', json })).status).toBe(403);
      expect((await world.request('/api/children/intake', { as: 'anonymous', json })).status).toBe(401);
      const headers = world.headersFor('teacherA');
      const noCsrf = await world.app.request('/api/children/intake', {
        method: 'POST',
        headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
      expect(noCsrf.status).toBe(403);
    });
  });
});

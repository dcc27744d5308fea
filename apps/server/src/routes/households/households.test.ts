import { createChild, createContact, getChild, listAuditForSubject } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface HouseholdDto {
  id: string;
  name: string;
  archivedAt: string | null;
}

interface HouseholdDetailDto extends HouseholdDto {
  children: { id: string; givenName: string; archivedAt: string | null }[];
  contacts: { id: string; phoneMasked: string; phone?: string }[];
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('households API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function newHousehold(name: string): Promise<HouseholdDto> {
    const res = await world.request('/api/households', { as: 'teacherA', json: { name } });
    expect(res.status).toBe(201);
    return (await res.json()) as HouseholdDto;
  }

  it('creates, searches, shows with children and masked contacts, renames and archives a household', async () => {
    const household = await newHousehold('陈家');
    expect(household.id).toMatch(/^hsh_[0-9a-z]{16}$/);
    const db = world.database.db;
    const child = await createChild(db, world.a.home.id, {
      householdId: household.id,
      familyName: '陈',
      givenName: '小兰',
    });
    const sibling = await createChild(db, world.a.home.id, {
      householdId: household.id,
      familyName: '陈',
      givenName: '小军',
    });
    const contact = await createContact(db, world.a.home.id, {
      householdId: household.id,
      name: '陈大勇',
      relation: 'father',
      phone: '+8613800138000',
    });

    const search = await world.request(`/api/households?search=${encodeURIComponent('陈')}`, { as: 'teacherA' });
    const page = (await search.json()) as { items: HouseholdDto[]; total: number };
    expect(page.items.map((h) => h.id)).toEqual([household.id]);
    expect(page.total).toBe(1);

    const read = await world.request(`/api/households/${household.id}`, { as: 'teacherA' });
    expect(read.status).toBe(200);
    const detail = (await read.json()) as HouseholdDetailDto;
    expect(detail.children.map((c) => c.id).sort()).toEqual([child.id, sibling.id].sort());
    expect(detail.contacts).toHaveLength(1);
    expect(detail.contacts[0]).toMatchObject({ id: contact.id, phoneMasked: '+86 138****8000' });
    expect(detail.contacts[0]).not.toHaveProperty('phone');
    expect(JSON.stringify(detail)).not.toContain('13800138000');

    const renamed = await world.request(`/api/households/${household.id}`, {
      as: 'teacherA',
      method: 'PATCH',
      json: { name: '陈家（外婆家）' },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: '陈家（外婆家）' });

    const archived = await world.request(`/api/households/${household.id}/archive`, { as: 'teacherA', method: 'POST' });
    expect(archived.status).toBe(200);
    const body = (await archived.json()) as HouseholdDto & { archivedChildIds: string[] };
    expect(body.archivedAt).not.toBeNull();
    expect(body.archivedChildIds.sort()).toEqual([child.id, sibling.id].sort());
    expect((await getChild(db, world.a.home.id, child.id))?.archivedAt).not.toBeNull();

    const again = await world.request(`/api/households/${household.id}/archive`, { as: 'teacherA', method: 'POST' });
    expect(((await again.json()) as HouseholdDto).archivedAt).toBe(body.archivedAt);

    const listed = (await (await world.request('/api/households?search=%E9%99%88', { as: 'teacherA' })).json()) as {
      total: number;
    };
    expect(listed.total).toBe(0);
    const withArchived = (await (
      await world.request('/api/households?search=%E9%99%88&includeArchived=true', { as: 'teacherA' })
    ).json()) as { total: number };
    expect(withArchived.total).toBe(1);

    const trail = await listAuditForSubject(db, 'household', household.id);
    expect(trail.map((e) => e.action).sort()).toEqual([
      'household.archive',
      'household.archive',
      'household.create',
      'household.read',
      'household.update',
    ]);
    const read0 = trail.find((e) => e.action === 'household.read')!;
    expect(read0.details).toEqual({ childIds: expect.any(Array), contactIds: [contact.id] });
    expect(JSON.stringify(trail)).not.toMatch(/陈|138/);
    expect((await listAuditForSubject(db, 'child', child.id)).map((e) => e.action)).toEqual(['child.archive']);
  });

  it('pages through the list, and never lists another Home', async () => {
    await newHousehold('甲家');
    await newHousehold('乙家');
    const first = (await (await world.request('/api/households?limit=1&offset=0', { as: 'teacherA' })).json()) as {
      items: HouseholdDto[];
      total: number;
      limit: number;
    };
    expect(first.items).toHaveLength(1);
    expect(first.limit).toBe(1);
    expect(first.total).toBeGreaterThanOrEqual(3);
    const second = (await (await world.request('/api/households?limit=1&offset=1', { as: 'teacherA' })).json()) as {
      items: HouseholdDto[];
    };
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    const b = (await (await world.request('/api/households?limit=200', { as: 'teacherB' })).json()) as {
      items: HouseholdDto[];
    };
    expect(b.items.map((h) => h.id)).toEqual([world.b.household.id]);
  });

  it('answers 400 for an empty or unknown field, and a bad id', async () => {
    const empty = await world.request('/api/households', { as: 'teacherA', json: { name: '  ' } });
    expect(empty.status).toBe(400);
    const extra = await world.request('/api/households', { as: 'teacherA', json: { name: '李家', homeId: 'x' } });
    expect(extra.status).toBe(400);
    const badId = await world.request('/api/households/nope', { as: 'teacherA' });
    expect(badId.status).toBe(400);
    const paging = await world.request('/api/households?limit=0', { as: 'teacherA' });
    expect(paging.status).toBe(400);
  });

  it("gives staff of another Home 404 for Home A's household", async () => {
    const id = world.a.household.id;
    expect((await world.request(`/api/households/${id}`, { as: 'teacherB' })).status).toBe(404);
    const patch = await world.request(`/api/households/${id}`, {
      as: 'teacherB',
      method: 'PATCH',
      json: { name: 'x' },
    });
    expect(patch.status).toBe(404);
    const archive = await world.request(`/api/households/${id}/archive`, { as: 'teacherB', method: 'POST' });
    expect(archive.status).toBe(404);
    expect((await world.request(`/api/households/${id}`, { as: 'teacherA' })).status).toBe(200);
  });

  it('lets only staff in: 401 for nobody, 403 for a kiosk or a family, 403 without the CSRF token', async () => {
    expect((await world.request('/api/households', { as: 'anonymous' })).status).toBe(401);
    expect((await world.request('/api/households', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(`/api/households/${world.a.household.id}`, { as: 'familyA' })).status).toBe(403);
    expect((await world.request('/api/households', { as: 'familyA', json: { name: '李家' } })).status).toBe(403);
    const headers = world.headersFor('teacherA');
    const res = await world.app.request('/api/households', {
      method: 'POST',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '赵家' }),
    });
    expect(res.status).toBe(403);
  });
});

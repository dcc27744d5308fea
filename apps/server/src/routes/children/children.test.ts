import { listAuditForSubject } from '@affection/db';
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
});

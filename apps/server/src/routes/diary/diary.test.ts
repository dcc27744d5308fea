import { createChild, listAuditForSubject, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Entry {
  id: string;
  childId: string;
  entryDate: string;
  text: string;
  mood: number | null;
  tags: string[];
  authorId: string | null;
  authorName: string | null;
  canEdit: boolean;
  createdAt: string;
  updatedAt: string;
}

interface ErrorAnswer {
  error: { code: string; userMessageKey: string; details?: { reason?: string; fields?: { path: string }[] } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('growth diary API (%s)', (kind) => {
  let world: ApiWorld;
  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  async function newChild(givenName: string): Promise<string> {
    const child = await createChild(world.database.db, world.a.home.id, {
      householdId: world.a.household.id,
      familyName: '李',
      givenName,
    });
    return child.id;
  }

  const write = (childId: string, json: unknown, as: 'teacherA' | 'adminA' | 'teacherB' | 'kioskA' = 'teacherA') =>
    world.request(`/api/children/${childId}/diary`, { as, json });
  const list = async (childId: string, as: 'teacherA' | 'adminA' = 'teacherA'): Promise<Entry[]> => {
    const res = await world.request(`/api/children/${childId}/diary`, { as });
    expect(res.status).toBe(200);
    return ((await res.json()) as { entries: Entry[] }).entries;
  };

  it('writes entries and lists them newest day first, with the author and tags in the closed order', async () => {
    const childId = await newChild('小军');
    const first = await write(childId, {
      entryDate: '2026-09-01',
      text: '开学第一天。\n和妈妈通了电话，很开心。',
      mood: 5,
      tags: ['family', 'study', 'family'],
    });
    expect(first.status).toBe(201);
    const entry = (await first.json()) as Entry;
    expect(entry).toMatchObject({
      childId,
      entryDate: '2026-09-01',
      text: '开学第一天。\n和妈妈通了电话，很开心。',
      mood: 5,
      tags: ['study', 'family'],
      authorId: world.a.teacher.id,
      authorName: world.a.teacher.displayName,
      canEdit: true,
    });
    expect(entry.id).toMatch(/^dia_[0-9a-z]{16}$/);
    const second = (await (await write(childId, { entryDate: '2026-09-03', text: '有点想家。' })).json()) as Entry;
    expect(second).toMatchObject({ mood: null, tags: [] });
    const older = (await (
      await write(childId, { entryDate: '2026-08-20', text: '暑假回来了。', mood: 3 })
    ).json()) as Entry;

    expect((await list(childId)).map((e) => e.id)).toEqual([second.id, entry.id, older.id]);
    // The admin sees every entry and may change each; a teacher only their own.
    const byAdmin = (await (
      await write(childId, { entryDate: '2026-09-02', text: '家访。', tags: ['health'] }, 'adminA')
    ).json()) as Entry;
    const seenByTeacher = (await list(childId)).find((e) => e.id === byAdmin.id);
    expect(seenByTeacher?.canEdit).toBe(false);
    expect((await list(childId, 'adminA')).every((e) => e.canEdit)).toBe(true);
  });

  it('edits and deletes your own entry; audits ids and field names, never the text', async () => {
    const childId = await newChild('小兰');
    const entry = (await (
      await write(childId, { entryDate: '2026-09-04', text: '秘密的话', mood: 2 })
    ).json()) as Entry;
    const edited = await world.request(`/api/diary/${entry.id}`, {
      method: 'PATCH',
      as: 'teacherA',
      json: { text: '改过的话', mood: null, tags: ['emotion'] },
    });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({
      text: '改过的话',
      mood: null,
      tags: ['emotion'],
      entryDate: '2026-09-04',
    });

    const removed = await world.request(`/api/diary/${entry.id}`, { method: 'DELETE', as: 'teacherA' });
    expect(removed.status).toBe(204);
    expect(await list(childId)).toEqual([]);
    expect(
      await world.database.db.select().from(schema.diaryEntries).where(eq(schema.diaryEntries.id, entry.id)),
    ).toEqual([]);
    expect((await world.request(`/api/diary/${entry.id}`, { method: 'DELETE', as: 'teacherA' })).status).toBe(404);

    const trail = await listAuditForSubject(world.database.db, 'child', childId);
    const actions = trail.map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(['diary.create', 'diary.update', 'diary.delete', 'diary.read']));
    expect(trail.find((e) => e.action === 'diary.update')?.details).toEqual({
      diaryEntryId: entry.id,
      fields: ['mood', 'tags', 'text'],
    });
    const everything = JSON.stringify(trail);
    expect(everything).not.toContain('秘密');
    expect(everything).not.toContain('改过');
  });

  it("refuses to change another teacher's entry (403) but lets the admin", async () => {
    const childId = await newChild('小冬');
    const byAdmin = (await (
      await write(childId, { entryDate: '2026-09-05', text: '管理员写的' }, 'adminA')
    ).json()) as Entry;
    const refused = await world.request(`/api/diary/${byAdmin.id}`, {
      method: 'PATCH',
      as: 'teacherA',
      json: { text: '老师改' },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorAnswer).error).toMatchObject({
      userMessageKey: 'error.diary.not-author',
      details: { reason: 'not-author' },
    });
    expect((await world.request(`/api/diary/${byAdmin.id}`, { method: 'DELETE', as: 'teacherA' })).status).toBe(403);

    const byTeacher = (await (await write(childId, { entryDate: '2026-09-05', text: '老师写的' })).json()) as Entry;
    const adminEdit = await world.request(`/api/diary/${byTeacher.id}`, {
      method: 'PATCH',
      as: 'adminA',
      json: { entryDate: '2026-09-06' },
    });
    expect(adminEdit.status).toBe(200);
    expect(await adminEdit.json()).toMatchObject({ entryDate: '2026-09-06', authorId: world.a.teacher.id });
    expect((await world.request(`/api/diary/${byTeacher.id}`, { method: 'DELETE', as: 'adminA' })).status).toBe(204);
  });

  it('refuses bad input on the field: control characters (newlines are fine), bad dates, moods and tags, empty text', async () => {
    const childId = await newChild('小夏');
    const cases: [unknown, string][] = [
      [{ entryDate: '2026-09-01', text: '铃\u0007声' }, 'text'],
      [{ entryDate: '2026-09-01', text: '空\u0000字' }, 'text'],
      [{ entryDate: '2026-09-01', text: '   ' }, 'text'],
      [{ entryDate: '2026-09-01', text: 'x'.repeat(2001) }, 'text'],
      [{ entryDate: '2026-02-30', text: '日期不对' }, 'entryDate'],
      [{ entryDate: '9/1', text: '日期不对' }, 'entryDate'],
      [{ entryDate: '2026-09-01', text: '心情', mood: 6 }, 'mood'],
      [{ entryDate: '2026-09-01', text: '心情', mood: 2.5 }, 'mood'],
      [{ entryDate: '2026-09-01', text: '标签', tags: ['sports'] }, 'tags.0'],
    ];
    for (const [json, path] of cases) {
      const res = await write(childId, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      const fields = ((await res.json()) as ErrorAnswer).error.details?.fields ?? [];
      expect(fields.map((f) => f.path)).toContain(path);
    }
    expect((await write(childId, { entryDate: '2026-09-01', text: '好', author: 'x' })).status).toBe(400);
    const ok = await write(childId, { entryDate: '2026-09-01', text: '第一行\r\n第二行\n\t缩进' });
    expect(ok.status).toBe(201);
    const entry = (await ok.json()) as Entry;
    const empty = await world.request(`/api/diary/${entry.id}`, { method: 'PATCH', as: 'teacherA', json: {} });
    expect(empty.status).toBe(400);
    const control = await world.request(`/api/diary/${entry.id}`, {
      method: 'PATCH',
      as: 'teacherA',
      json: { text: 'a\u001bb' },
    });
    expect(control.status).toBe(400);
  });

  it("keeps Homes apart: another Home's child and entries are 404; kiosks, parents and strangers are refused", async () => {
    const childId = await newChild('小秋');
    const entry = (await (await write(childId, { entryDate: '2026-09-01', text: '只给A看' })).json()) as Entry;

    expect((await world.request(`/api/children/${childId}/diary`, { as: 'teacherB' })).status).toBe(404);
    expect((await write(childId, { entryDate: '2026-09-01', text: 'B写的' }, 'teacherB')).status).toBe(404);
    expect(
      (await world.request(`/api/diary/${entry.id}`, { method: 'PATCH', as: 'teacherB', json: { text: 'B改' } }))
        .status,
    ).toBe(404);
    expect((await world.request(`/api/diary/${entry.id}`, { method: 'DELETE', as: 'teacherB' })).status).toBe(404);
    expect((await list(childId)).map((e) => e.text)).toEqual(['只给A看']);

    expect((await world.request(`/api/children/${childId}/diary`, { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(`/api/children/${childId}/diary`, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(`/api/children/${childId}/diary`, { as: 'familyA' })).status).toBe(403);
    expect((await write(childId, { entryDate: '2026-09-01', text: '机器写的' }, 'kioskA')).status).toBe(403);
    expect((await world.request('/api/children/chd_0000000000000000/diary', { as: 'teacherA' })).status).toBe(404);
    expect((await world.request('/api/diary/chd_0000000000000000', { method: 'DELETE', as: 'teacherA' })).status).toBe(
      400,
    );
  });

  it('exports the diary with the record and erasure deletes it', async () => {
    const childId = await newChild('小春');
    await write(childId, { entryDate: '2026-09-01', text: '导出的日记', mood: 4, tags: ['health'] });
    const exported = await world.request(`/api/children/${childId}/export`, { as: 'adminA' });
    expect(exported.status).toBe(200);
    const file = (await exported.json()) as { diaryEntries: { text: string; tags: string[]; entryDate: string }[] };
    expect(file.diaryEntries).toEqual([
      expect.objectContaining({ text: '导出的日记', tags: ['health'], entryDate: '2026-09-01', mood: 4 }),
    ]);
    const erased = await world.request(`/api/children/${childId}/erase`, {
      as: 'adminA',
      json: { confirm: childId },
    });
    expect(erased.status).toBe(200);
    expect(((await erased.json()) as { counts: { diaryEntries: number } }).counts.diaryEntries).toBe(1);
    expect(
      await world.database.db.select().from(schema.diaryEntries).where(eq(schema.diaryEntries.childId, childId)),
    ).toEqual([]);
    expect((await world.request(`/api/children/${childId}/diary`, { as: 'teacherA' })).status).toBe(404);
  });
});

import { archiveChild, createChild, createStaff, listAuditForSubject, updateStaff } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Warning {
  code: 'teacher-over-3' | 'child-unpaired';
  staffId?: string;
  childId?: string;
  count?: number;
}

interface Board {
  teachers: {
    staffId: string;
    displayName: string;
    children: { pairingId: string; childId: string; givenName: string; archived: boolean }[];
  }[];
  unpairedChildren: { childId: string }[];
  warnings: Warning[];
}

interface PairingAnswer {
  pairing: { id: string; staffId: string; childId: string };
  warnings: Warning[];
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('pairings API (%s)', (kind) => {
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
      familyName: '王',
      givenName,
    });
    return child.id;
  }

  async function newTeacher(displayName: string): Promise<string> {
    const member = await createStaff(world.database.db, world.a.home.id, {
      role: 'teacher',
      displayName,
      username: `${displayName}-${Math.random().toString(36).slice(2)}`,
      passwordHash: 'x',
    });
    return member.id;
  }

  async function pair(staffId: string, childId: string) {
    return world.request('/api/pairings', { as: 'teacherA', json: { staffId, childId } });
  }

  async function board(): Promise<Board> {
    const res = await world.request('/api/pairings', { as: 'teacherA' });
    expect(res.status).toBe(200);
    return (await res.json()) as Board;
  }

  it('shows each teacher with their children and warns about unpaired children', async () => {
    const teacher = world.a.teacher.id;
    const before = await board();
    expect(before.teachers.map((t) => t.staffId)).toContain(teacher);
    expect(before.teachers.map((t) => t.staffId)).not.toContain(world.a.admin.id);
    expect(before.warnings).toContainEqual({ code: 'child-unpaired', childId: world.a.child.id });
    expect(before.unpairedChildren.map((c) => c.childId)).toContain(world.a.child.id);

    const res = await pair(teacher, world.a.child.id);
    expect(res.status).toBe(201);
    const answer = (await res.json()) as PairingAnswer;
    expect(answer.pairing).toMatchObject({ staffId: teacher, childId: world.a.child.id });
    expect(answer.pairing.id).toMatch(/^par_[0-9a-z]{16}$/);
    expect(answer.warnings).toEqual([]);

    const after = await board();
    const row = after.teachers.find((t) => t.staffId === teacher)!;
    expect(row.children).toContainEqual(
      expect.objectContaining({ pairingId: answer.pairing.id, childId: world.a.child.id, givenName: '小明' }),
    );
    expect(after.warnings).not.toContainEqual({ code: 'child-unpaired', childId: world.a.child.id });

    const trail = await listAuditForSubject(world.database.db, 'child', world.a.child.id);
    expect(trail.find((e) => e.action === 'pairing.create')?.details).toEqual({
      pairingId: answer.pairing.id,
      staffId: teacher,
    });
  });

  it('answers POST with a teacher-over-3 warning at the fourth child, and DELETE with child-unpaired', async () => {
    const teacher = await newTeacher('刘老师');
    const kids = [await newChild('一'), await newChild('二'), await newChild('三'), await newChild('四')];
    for (const kid of kids.slice(0, 3)) {
      const res = await pair(teacher, kid);
      expect(((await res.json()) as PairingAnswer).warnings).toEqual([]);
    }
    const fourth = (await (await pair(teacher, kids[3]!)).json()) as PairingAnswer;
    expect(fourth.warnings).toEqual([{ code: 'teacher-over-3', staffId: teacher, count: 4 }]);
    expect((await board()).warnings).toContainEqual({ code: 'teacher-over-3', staffId: teacher, count: 4 });

    const removed = await world.request(`/api/pairings/${fourth.pairing.id}`, { as: 'teacherA', method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as PairingAnswer).warnings).toEqual([{ code: 'child-unpaired', childId: kids[3] }]);
    const again = await world.request(`/api/pairings/${fourth.pairing.id}`, { as: 'teacherA', method: 'DELETE' });
    expect(again.status).toBe(404);
    expect((await board()).warnings.filter((w) => w.staffId === teacher)).toEqual([]);
  });

  it('leaves archived children out of the count and the warnings, and refuses to pair them', async () => {
    const teacher = await newTeacher('孙老师');
    const kids = [await newChild('甲'), await newChild('乙'), await newChild('丙'), await newChild('丁')];
    for (const kid of kids) await pair(teacher, kid);
    await archiveChild(world.database.db, world.a.home.id, kids[0]!, new Date());
    const now = await board();
    expect(now.warnings.filter((w) => w.staffId === teacher)).toEqual([]);
    expect(now.teachers.find((t) => t.staffId === teacher)?.children.find((c) => c.childId === kids[0])?.archived).toBe(
      true,
    );
    const archived = await newChild('戊');
    await archiveChild(world.database.db, world.a.home.id, archived, new Date());
    expect((await board()).warnings).not.toContainEqual({ code: 'child-unpaired', childId: archived });
    expect((await pair(teacher, archived)).status).toBe(422);
  });

  it('answers 409 for the same pair twice, 422 for a switched-off teacher, 400 for bad ids', async () => {
    const teacher = await newTeacher('郑老师');
    const kid = await newChild('小丽');
    expect((await pair(teacher, kid)).status).toBe(201);
    const twice = await pair(teacher, kid);
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: 'conflict' } });

    const off = await newTeacher('钱老师');
    await updateStaff(world.database.db, world.a.home.id, off, { active: false });
    expect((await pair(off, kid)).status).toBe(422);

    const bad = await world.request('/api/pairings', { as: 'teacherA', json: { staffId: kid, childId: teacher } });
    expect(bad.status).toBe(400);
    expect((await world.request('/api/pairings/nope', { as: 'teacherA', method: 'DELETE' })).status).toBe(400);
  });

  it('answers 404 unless both the teacher and the child are in the caller’s Home', async () => {
    const kid = await newChild('小华');
    expect((await pair(world.b.teacher.id, kid)).status).toBe(404);
    expect((await pair(world.a.teacher.id, world.b.child.id)).status).toBe(404);
    const asB = await world.request('/api/pairings', {
      as: 'teacherB',
      json: { staffId: world.b.teacher.id, childId: kid },
    });
    expect(asB.status).toBe(404);

    const mine = (await (await pair(world.a.teacher.id, kid)).json()) as PairingAnswer;
    const del = await world.request(`/api/pairings/${mine.pairing.id}`, { as: 'teacherB', method: 'DELETE' });
    expect(del.status).toBe(404);
    const boardB = (await (await world.request('/api/pairings', { as: 'teacherB' })).json()) as Board;
    expect(boardB.teachers.map((t) => t.staffId)).toEqual([world.b.teacher.id]);
    expect(boardB.unpairedChildren.map((c) => c.childId)).toEqual([world.b.child.id]);
  });

  it('lets only staff in: 401 for nobody, 403 for a kiosk, a family or without the CSRF token', async () => {
    expect((await world.request('/api/pairings', { as: 'anonymous' })).status).toBe(401);
    expect((await world.request('/api/pairings', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/pairings', { as: 'familyA' })).status).toBe(403);
    const body = { staffId: world.a.teacher.id, childId: world.a.child.id };
    expect((await world.request('/api/pairings', { as: 'familyA', json: body })).status).toBe(403);
    const headers = world.headersFor('teacherA');
    const res = await world.app.request('/api/pairings', {
      method: 'POST',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(403);
  });
});

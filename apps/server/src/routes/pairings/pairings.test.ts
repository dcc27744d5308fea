import {
  archiveChild,
  createChild,
  createStaff,
  createStaffSession,
  listAuditForSubject,
  listPairingsOfHome,
  updateStaff,
} from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

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
    return world.request('/api/pairings', { as: 'adminA', json: { staffId, childId } });
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

    const removed = await world.request(`/api/pairings/${fourth.pairing.id}`, { as: 'adminA', method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as PairingAnswer).warnings).toEqual([{ code: 'child-unpaired', childId: kids[3] }]);
    const again = await world.request(`/api/pairings/${fourth.pairing.id}`, { as: 'adminA', method: 'DELETE' });
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

    const bad = await world.request('/api/pairings', { as: 'adminA', json: { staffId: kid, childId: teacher } });
    expect(bad.status).toBe(400);
    expect((await world.request('/api/pairings/nope', { as: 'adminA', method: 'DELETE' })).status).toBe(400);
  });

  /** Headers of a fresh session of Home B's admin (the world signs in Home B's teacher only). */
  async function adminOfB(): Promise<Record<string, string>> {
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(world.database.db, {
      staffId: world.b.admin.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    return { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  }

  it('answers 404 unless both the teacher and the child are in the caller’s Home', async () => {
    const kid = await newChild('小华');
    expect((await pair(world.b.teacher.id, kid)).status).toBe(404);
    expect((await pair(world.a.teacher.id, world.b.child.id)).status).toBe(404);
    const adminB = await adminOfB();
    const asB = await world.request('/api/pairings', {
      headers: adminB,
      json: { staffId: world.b.teacher.id, childId: kid },
    });
    expect(asB.status).toBe(404);

    const mine = (await (await pair(world.a.teacher.id, kid)).json()) as PairingAnswer;
    const del = await world.request(`/api/pairings/${mine.pairing.id}`, { headers: adminB, method: 'DELETE' });
    expect(del.status).toBe(404);
    const pairsOfA = await listPairingsOfHome(world.database.db, world.a.home.id);
    expect(pairsOfA.map((p) => p.id)).toContain(mine.pairing.id);
    const boardB = (await (await world.request('/api/pairings', { as: 'teacherB' })).json()) as Board;
    expect(boardB.teachers.map((t) => t.staffId)).toEqual([world.b.teacher.id]);
    expect(boardB.unpairedChildren.map((c) => c.childId)).toEqual([world.b.child.id]);
  });

  it('lets a teacher read the board but not pair or unpair: 403, and nothing changes', async () => {
    const kid = await newChild('小强');
    const asTeacher = await world.request('/api/pairings', {
      as: 'teacherA',
      json: { staffId: world.a.teacher.id, childId: kid },
    });
    expect(asTeacher.status).toBe(403);
    expect((await board()).unpairedChildren.map((c) => c.childId)).toContain(kid);

    const made = (await (await pair(world.a.teacher.id, kid)).json()) as PairingAnswer;
    const unpair = await world.request(`/api/pairings/${made.pairing.id}`, { as: 'teacherA', method: 'DELETE' });
    expect(unpair.status).toBe(403);
    const row = (await board()).teachers.find((t) => t.staffId === world.a.teacher.id)!;
    expect(row.children.map((c) => c.pairingId)).toContain(made.pairing.id);
  });

  it('lets only staff in: 401 for nobody, 403 for a kiosk, a family or without the CSRF token', async () => {
    expect((await world.request('/api/pairings', { as: 'anonymous' })).status).toBe(401);
    expect((await world.request('/api/pairings', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/pairings', { as: 'familyA' })).status).toBe(403);
    const body = { staffId: world.a.teacher.id, childId: world.a.child.id };
    expect((await world.request('/api/pairings', { as: 'familyA', json: body })).status).toBe(403);
    const headers = world.headersFor('adminA');
    const res = await world.app.request('/api/pairings', {
      method: 'POST',
      headers: { cookie: headers.cookie!, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(403);
  });
});

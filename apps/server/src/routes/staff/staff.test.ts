import {
  changeStaffMember,
  createStaff,
  createStaffSession,
  listAuditForSubject,
  listStaff,
  updateStaff,
} from '@affection/db';
import { type ApiWorld, createApiWorld, FIXTURE_PASSWORD, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';

interface StaffBody {
  id: string;
  role: string;
  displayName: string;
  username: string | null;
  phone: string | null;
  active: boolean;
}

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string; fields?: { path: string; key: string }[] } };
}

const NEW_PASSWORD = 'a brand new passphrase';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('staff API (%s)', (kind) => {
  let world: ApiWorld;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  /** Headers of a fresh session for any staff member (the world signs in only some). */
  async function sessionOf(staffId: string): Promise<Record<string, string>> {
    const token = newToken();
    const csrf = newToken();
    const now = world.services.now();
    await createStaffSession(world.database.db, {
      staffId,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    return { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  }

  function call(path: string, headers: Record<string, string>, method = 'GET', json?: unknown): Promise<Response> {
    return Promise.resolve(
      world.app.request(path, {
        method,
        headers: json === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
  }

  function signIn(login: string, password: string): Promise<Response> {
    return world.request('/api/auth/login', { json: { login, password } });
  }

  async function addTeacher(): Promise<StaffBody> {
    serial += 1;
    const res = await world.request('/api/staff', {
      as: 'adminA',
      json: {
        role: 'teacher',
        displayName: `新老师${serial}`,
        username: `new-teacher-${serial}`,
        password: FIXTURE_PASSWORD,
      },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as StaffBody;
  }

  it('creates a teacher who can sign in; lists them with the phone masked; never shows a password', async () => {
    const res = await world.request('/api/staff', {
      as: 'adminA',
      json: {
        role: 'teacher',
        displayName: '刘老师',
        username: 'Liu.Fang',
        phone: '138 1111 2222',
        password: FIXTURE_PASSWORD,
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as StaffBody & Record<string, unknown>;
    expect(created).toMatchObject({
      role: 'teacher',
      displayName: '刘老师',
      username: 'Liu.Fang',
      phone: '+8613811112222',
      active: true,
    });
    expect(created.id).toMatch(/^stf_[0-9a-z]{16}$/);
    expect(Object.keys(created)).not.toContain('passwordHash');
    expect(JSON.stringify(created)).not.toContain('argon2');

    const list = await world.request('/api/staff', { as: 'adminA' });
    expect(list.status).toBe(200);
    const items = ((await list.json()) as { items: StaffBody[] }).items;
    expect(items.find((s) => s.id === created.id)?.phone).toBe('+86 138****2222');
    expect(items.map((s) => s.id)).toEqual(expect.arrayContaining([world.a.admin.id, world.a.teacher.id]));
    expect(items.map((s) => s.id)).not.toContain(world.b.teacher.id);
    expect(JSON.stringify(items)).not.toMatch(/argon2|passwordHash/);

    const one = await world.request(`/api/staff/${created.id}`, { as: 'adminA' });
    expect(((await one.json()) as StaffBody).phone).toBe('+8613811112222');

    expect((await signIn('liu.fang', FIXTURE_PASSWORD)).status).toBe(200);
    expect((await signIn('13811112222', FIXTURE_PASSWORD)).status).toBe(200);

    const trail = await listAuditForSubject(world.database.db, 'staff', created.id);
    const event = trail.find((e) => e.action === 'staff.create');
    expect(event).toMatchObject({ actorId: world.a.admin.id, homeId: world.a.home.id });
    expect(event?.details).toEqual({ fields: ['role', 'displayName', 'username', 'phone'] });
    expect(JSON.stringify(event?.details)).not.toMatch(/1381111|Liu|刘/);
  });

  it('creates an admin who signs in by phone only', async () => {
    const res = await world.request('/api/staff', {
      as: 'adminA',
      json: { role: 'admin', displayName: '王校长', phone: '+8613822223333', password: FIXTURE_PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ role: 'admin', username: null, phone: '+8613822223333' });
  });

  it('answers 400 for a short password, no sign-in name, a bad username or phone, unknown fields', async () => {
    const res = await world.request('/api/staff', {
      as: 'adminA',
      json: { role: 'boss', displayName: '', username: 'no spaces!', phone: '12', password: 'short', extra: 1 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    const byPath = Object.fromEntries((body.error.details?.fields ?? []).map((f) => [f.path, f.key]));
    expect(byPath).toMatchObject({
      role: 'validation.invalid_option',
      displayName: 'validation.too_short',
      username: 'validation.username',
      phone: 'validation.phone',
      password: 'validation.too_short',
      '(root)': 'validation.unknown_field',
    });

    const nameless = await world.request('/api/staff', {
      as: 'adminA',
      json: { role: 'teacher', displayName: '无名', password: FIXTURE_PASSWORD },
    });
    expect(nameless.status).toBe(400);
    const namelessBody = (await nameless.json()) as ErrorBody;
    expect(namelessBody.error.details?.fields?.[0]?.key).toBe('validation.login_name_required');

    const nineChars = await world.request('/api/staff', {
      as: 'adminA',
      json: { role: 'teacher', displayName: '短', username: 'short-pw', password: '123456789' },
    });
    expect(nineChars.status).toBe(400);
  });

  it('answers 409, never 500, when a username (any case) or phone is taken, also by another Home', async () => {
    const base = { role: 'teacher', displayName: '重名', password: FIXTURE_PASSWORD };
    const byUsername = await world.request('/api/staff', {
      as: 'adminA',
      json: { ...base, username: world.a.teacher.username!.toUpperCase() },
    });
    expect(byUsername.status).toBe(409);
    expect(((await byUsername.json()) as ErrorBody).error.details?.reason).toBe('username-taken');

    const otherHome = await world.request('/api/staff', {
      as: 'adminA',
      json: { ...base, username: world.b.teacher.username },
    });
    expect(otherHome.status).toBe(409);

    const first = await world.request('/api/staff', {
      as: 'adminA',
      json: { ...base, phone: '+8613833334444', username: 'phone-one' },
    });
    expect(first.status).toBe(201);
    const byPhone = await world.request('/api/staff', {
      as: 'adminA',
      json: { ...base, phone: '138-3333-4444' },
    });
    expect(byPhone.status).toBe(409);
    const body = (await byPhone.json()) as ErrorBody;
    expect(body.error.details?.reason).toBe('phone-taken');
    expect(body.error.message).toMatch(/phone number/);
  });

  it("changes a staff member's name, role and sign-in names, audited with field names", async () => {
    const teacher = await addTeacher();
    const res = await world.request(`/api/staff/${teacher.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { displayName: '改名老师', role: 'admin', phone: '13844445555' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ displayName: '改名老师', role: 'admin', phone: '+8613844445555' });

    const dropUsername = await world.request(`/api/staff/${teacher.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { username: null },
    });
    expect(dropUsername.status).toBe(200);
    expect(((await dropUsername.json()) as StaffBody).username).toBeNull();

    const trail = await listAuditForSubject(world.database.db, 'staff', teacher.id);
    const fields = trail
      .filter((e) => e.action === 'staff.update')
      .map((e) => [...((e.details as { fields: string[] }).fields ?? [])].sort());
    expect(fields).toEqual(expect.arrayContaining([['displayName', 'phone', 'role'], ['username']]));
  });

  it('refuses to remove the last sign-in name (422), a taken name (409), and changing own role (422)', async () => {
    const teacher = await addTeacher();
    const noName = await world.request(`/api/staff/${teacher.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { username: null },
    });
    expect(noName.status).toBe(422);
    expect(((await noName.json()) as ErrorBody).error.code).toBe('unprocessable');

    const taken = await world.request(`/api/staff/${teacher.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { username: world.a.admin.username },
    });
    expect(taken.status).toBe(409);

    const ownRole = await world.request(`/api/staff/${world.a.admin.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { role: 'teacher' },
    });
    expect(ownRole.status).toBe(422);
    expect(((await ownRole.json()) as ErrorBody).error.details?.reason).toBe('own-role');

    const ownName = await world.request(`/api/staff/${world.a.admin.id}`, {
      as: 'adminA',
      method: 'PATCH',
      json: { displayName: '管理员', role: 'admin' },
    });
    expect(ownName.status).toBe(200);

    const empty = await world.request(`/api/staff/${teacher.id}`, { as: 'adminA', method: 'PATCH', json: {} });
    expect(empty.status).toBe(400);
  });

  it('deactivates a teacher: signed out at once, cannot sign in; reactivates them', async () => {
    const teacher = await addTeacher();
    const session = await sessionOf(teacher.id);
    expect((await call('/api/home', session)).status).toBe(200);

    const res = await world.request(`/api/staff/${teacher.id}/deactivate`, { as: 'adminA', method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as StaffBody).active).toBe(false);
    expect((await call('/api/home', session)).status).toBe(401);
    expect((await signIn(teacher.username!, FIXTURE_PASSWORD)).status).toBe(401);

    const listed = (await (await world.request('/api/staff', { as: 'adminA' })).json()) as { items: StaffBody[] };
    expect(listed.items.map((s) => s.id)).not.toContain(teacher.id);
    const all = (await (await world.request('/api/staff?includeInactive=true', { as: 'adminA' })).json()) as {
      items: StaffBody[];
    };
    expect(all.items.find((s) => s.id === teacher.id)?.active).toBe(false);

    const again = await world.request(`/api/staff/${teacher.id}/deactivate`, { as: 'adminA', method: 'POST' });
    expect(again.status).toBe(200);

    const back = await world.request(`/api/staff/${teacher.id}/reactivate`, { as: 'adminA', method: 'POST' });
    expect(back.status).toBe(200);
    expect(((await back.json()) as StaffBody).active).toBe(true);
    // The old session stays ended; signing in works again.
    expect((await call('/api/home', session)).status).toBe(401);
    expect((await signIn(teacher.username!, FIXTURE_PASSWORD)).status).toBe(200);

    const actions = (await listAuditForSubject(world.database.db, 'staff', teacher.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'staff.deactivate')).toHaveLength(1);
    expect(actions).toContain('staff.reactivate');
  });

  it('refuses to let an admin deactivate themselves (422)', async () => {
    const res = await world.request(`/api/staff/${world.a.admin.id}/deactivate`, { as: 'adminA', method: 'POST' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.reason).toBe('own-deactivate');
    expect(body.error.message).toMatch(/your own account/);
    expect((await world.request('/api/home', { as: 'adminA' })).status).toBe(200);
  });

  it("resets another staff member's password: old one stops working, their sessions end", async () => {
    const teacher = await addTeacher();
    const session = await sessionOf(teacher.id);
    const res = await world.request(`/api/staff/${teacher.id}/password`, {
      as: 'adminA',
      json: { password: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    expect((await call('/api/home', session)).status).toBe(401);
    expect((await signIn(teacher.username!, FIXTURE_PASSWORD)).status).toBe(401);
    expect((await signIn(teacher.username!, NEW_PASSWORD)).status).toBe(200);

    const event = (await listAuditForSubject(world.database.db, 'staff', teacher.id)).find(
      (e) => e.action === 'staff.password_reset',
    );
    expect(event?.actorId).toBe(world.a.admin.id);
    expect(JSON.stringify(event?.details ?? null)).not.toContain(NEW_PASSWORD);

    const short = await world.request(`/api/staff/${teacher.id}/password`, {
      as: 'adminA',
      json: { password: 'too short' },
    });
    expect(short.status).toBe(400);
    const own = await world.request(`/api/staff/${world.a.admin.id}/password`, {
      as: 'adminA',
      json: { password: NEW_PASSWORD },
    });
    expect(own.status).toBe(422);
  });

  it("gives another Home's admin 404 for Home A's staff, and malformed ids 400", async () => {
    const adminB = await sessionOf(world.b.admin.id);
    const id = world.a.teacher.id;
    expect((await call(`/api/staff/${id}`, adminB)).status).toBe(404);
    expect((await call(`/api/staff/${id}`, adminB, 'PATCH', { displayName: 'x' })).status).toBe(404);
    expect((await call(`/api/staff/${id}/deactivate`, adminB, 'POST')).status).toBe(404);
    expect((await call(`/api/staff/${id}/reactivate`, adminB, 'POST')).status).toBe(404);
    expect((await call(`/api/staff/${id}/password`, adminB, 'POST', { password: NEW_PASSWORD })).status).toBe(404);
    const listB = (await (await call('/api/staff', adminB)).json()) as { items: StaffBody[] };
    expect(listB.items.map((s) => s.id)).not.toContain(id);
    // Home A's teacher is untouched.
    expect((await world.request('/api/home', { as: 'teacherA' })).status).toBe(200);
    expect((await world.request('/api/staff/not-an-id', { as: 'adminA' })).status).toBe(400);
  });

  it('refuses every staff route to anonymous (401), teachers, kiosks and families (403)', async () => {
    const id = world.a.teacher.id;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/staff'],
      ['POST', '/api/staff', { role: 'teacher', displayName: 'x', username: 'xyz', password: NEW_PASSWORD }],
      ['GET', `/api/staff/${id}`],
      ['PATCH', `/api/staff/${id}`, { displayName: 'x' }],
      ['POST', `/api/staff/${id}/deactivate`],
      ['POST', `/api/staff/${id}/reactivate`],
      ['POST', `/api/staff/${id}/password`, { password: NEW_PASSWORD }],
    ];
    for (const [method, path, json] of routes) {
      expect((await world.request(path, { method, json })).status, `${method} ${path}`).toBe(401);
      for (const as of ['teacherA', 'teacherB', 'kioskA', 'familyA'] as const) {
        expect((await world.request(path, { method, json, as })).status, `${as} ${method} ${path}`).toBe(403);
      }
    }
    expect((await world.request('/api/home', { as: 'teacherA' })).status).toBe(200);
  });

  it('never leaves a Home without an active admin, even when two admins remove each other at once', async () => {
    const db = world.database.db;
    // Home B has one admin: the guard refuses to deactivate or demote them.
    expect(await changeStaffMember(db, world.b.home.id, world.b.admin.id, { active: false })).toEqual({
      ok: false,
      reason: 'no-active-admin',
    });
    expect(await changeStaffMember(db, world.b.home.id, world.b.admin.id, { role: 'teacher' })).toEqual({
      ok: false,
      reason: 'no-active-admin',
    });

    const second = await createStaff(db, world.b.home.id, {
      role: 'admin',
      displayName: '第二位管理员',
      username: `second-admin-${kind}`,
      passwordHash: 'unused',
    });
    const [first, other] = await Promise.all([sessionOf(world.b.admin.id), sessionOf(second.id)]);
    const results = await Promise.all([
      call(`/api/staff/${second.id}/deactivate`, first, 'POST'),
      call(`/api/staff/${world.b.admin.id}/deactivate`, other, 'POST'),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect([401, 409]).toContain(statuses.find((s) => s !== 200));
    const members = await listStaff(db, world.b.home.id);
    expect(members.filter((s) => s.role === 'admin' && s.active)).toHaveLength(1);
    // Put Home B back as it was.
    await updateStaff(db, world.b.home.id, world.b.admin.id, { active: true });
  });
});

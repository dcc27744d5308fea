import {
  addDistrictAdmin,
  createDistrict,
  createDistrictHome,
  DEFAULT_DISTRICT_ID,
  listAuditForSubject,
  listStaff,
  schema,
} from '@affection/db';
import {
  type ApiWorld,
  createApiWorld,
  FIXTURE_PASSWORD,
  generateCallHistory,
  loadHistoryHouseholds,
  type TestDatabaseKind,
} from '@affection/test-support';
import { hash } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';

interface Browser {
  cookie: string;
  csrfToken: string;
}

interface DistrictHomes {
  district: { id: string; name: string };
  period: { from: string; to: string };
  currentHomeId: string | null;
  homes: {
    id: string;
    name: string;
    timeZone: string;
    reach: {
      children: number;
      childrenReached: number;
      reachedPercent: number | null;
      callsCompleted: number;
      callsBooked: number;
    };
  }[];
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    userMessageKey?: string;
    details?: { reason?: string; fields?: { path: string; key: string }[] };
  };
}

const PERIOD = 'from=2026-09-01&to=2026-12-31';
const NEW_ADMIN_PASSWORD = 'first password 4 the new home';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('district admin API (%s)', (kind) => {
  let world: ApiWorld;
  let county: Browser;
  let other: Browser;
  let otherHomeId: string;
  let serial = 0;

  function call(path: string, browser: Browser | null, method = 'GET', json?: unknown): Promise<Response> {
    const headers: Record<string, string> = browser ? { cookie: browser.cookie, [CSRF_HEADER]: browser.csrfToken } : {};
    if (json !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(
      world.app.request(path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) }),
    );
  }

  async function signIn(
    login: string,
    password = FIXTURE_PASSWORD,
  ): Promise<{ browser: Browser; body: { staff: Record<string, unknown> } }> {
    const res = await call('/api/auth/login', null, 'POST', { login, password });
    expect(res.status).toBe(200);
    const token = new RegExp(`${STAFF_COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeTruthy();
    const body = (await res.json()) as { csrfToken: string; staff: Record<string, unknown> };
    return { browser: { cookie: `${STAFF_COOKIE}=${token}`, csrfToken: body.csrfToken }, body };
  }

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const db = world.database.db;
    const passwordHash = await hash(FIXTURE_PASSWORD);
    const made = await addDistrictAdmin(db, DEFAULT_DISTRICT_ID, {
      displayName: '县教育局',
      username: `county-${kind}`,
      passwordHash,
    });
    expect(made.ok).toBe(true);
    const district = await createDistrict(db, { name: '邻县' });
    const otherHome = await createDistrictHome(
      db,
      district.id,
      { name: '邻县之家', timeZone: 'Asia/Shanghai' },
      { displayName: '邻县管理员', username: `other-home-admin-${kind}`, passwordHash },
    );
    if (!otherHome.ok) throw new Error(otherHome.reason);
    otherHomeId = otherHome.home.id;
    await addDistrictAdmin(db, district.id, {
      displayName: '邻县教育局',
      username: `other-county-${kind}`,
      passwordHash,
    });
    county = (await signIn(`county-${kind}`)).browser;
    other = (await signIn(`other-county-${kind}`)).browser;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('signs a district admin in like staff, with their district and no Home until they choose one', async () => {
    const { body } = await signIn(`COUNTY-${kind}`);
    expect(body.staff).toMatchObject({ role: 'district-admin', homeId: null, districtId: DEFAULT_DISTRICT_ID });
    const me = await call('/api/auth/me', county);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { staff: unknown }).staff).toMatchObject({ role: 'district-admin', homeId: null });
    // No Home chosen: the Home routes refuse, the district's own answer.
    expect((await call('/api/children', county)).status).toBe(403);
    expect((await call('/api/staff', county)).status).toBe(403);
  });

  it("lists the district's Homes with each one's reach, counted as the Home's own report counts it", async () => {
    const db = world.database.db;
    const calls = await generateCallHistory(db, {
      homeId: world.a.home.id,
      timeZone: world.a.home.timeZone,
      kioskIds: [world.a.kiosk.id],
      households: await loadHistoryHouseholds(db, world.a.home.id),
      from: '2026-09-01',
      to: '2026-11-30',
      weeklyChance: 1,
    });
    const completed = calls.filter((c) => c.status === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    const res = await call(`/api/district/homes?${PERIOD}`, county);
    expect(res.status).toBe(200);
    const body = (await res.json()) as DistrictHomes;
    expect(body.district.id).toBe(DEFAULT_DISTRICT_ID);
    expect(body.currentHomeId).toBeNull();
    const ids = body.homes.map((h) => h.id);
    expect(ids).toContain(world.a.home.id);
    expect(ids).toContain(world.b.home.id);
    expect(ids).not.toContain(otherHomeId);
    const a = body.homes.find((h) => h.id === world.a.home.id)!;
    expect(a.reach).toMatchObject({
      children: 1,
      childrenReached: 1,
      callsCompleted: completed.length,
      reachedPercent: 100,
    });
    const b = body.homes.find((h) => h.id === world.b.home.id)!;
    expect(b.reach).toMatchObject({ children: 1, childrenReached: 0, callsCompleted: 0, reachedPercent: 0 });
    const own = await world.request(`/api/reports/summary?${PERIOD}`, { as: 'adminA' });
    const summary = (await own.json()) as { totals: Record<string, unknown> };
    expect(a.reach.callsBooked).toBe(summary.totals.callsBooked);
    expect(a.reach.childrenReached).toBe(summary.totals.childrenReached);
    const audits = await listAuditForSubject(db, 'district', DEFAULT_DISTRICT_ID);
    expect(audits.some((event) => event.action === 'district.homes-read')).toBe(true);

    const theirs = (await (await call(`/api/district/homes?${PERIOD}`, other)).json()) as DistrictHomes;
    expect(theirs.homes.map((h) => h.id)).toEqual([otherHomeId]);
  });

  it('refuses a bad period with a 400 naming the field', async () => {
    const res = await call('/api/district/homes?from=2026-09-01&to=2026-02-30', county);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.details?.fields?.map((f) => f.path)).toContain('to');
  });

  it('creates a Home with its first admin, who signs in to it; a taken username is 409 and leaves no Home', async () => {
    serial += 1;
    const username = `new-home-admin-${kind}-${serial}`;
    const res = await call('/api/district/homes', county, 'POST', {
      name: '新建之家',
      timeZone: 'Asia/Shanghai',
      admin: { displayName: '新管理员', username, password: NEW_ADMIN_PASSWORD },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { home: { id: string; name: string }; admin: { id: string; role: string } };
    expect(created.home.name).toBe('新建之家');
    expect(created.admin.role).toBe('admin');
    const [row] = await world.database.db.select().from(schema.homes).where(eq(schema.homes.id, created.home.id));
    expect(row?.districtId).toBe(DEFAULT_DISTRICT_ID);
    const { body } = await signIn(username, NEW_ADMIN_PASSWORD);
    expect(body.staff).toMatchObject({ role: 'admin', homeId: created.home.id, districtId: null });

    const before = await world.database.db.select().from(schema.homes);
    const taken = await call('/api/district/homes', county, 'POST', {
      name: '重复之家',
      timeZone: 'Asia/Shanghai',
      admin: { displayName: '重复', username: world.a.admin.username!.toUpperCase(), password: NEW_ADMIN_PASSWORD },
    });
    expect(taken.status).toBe(409);
    const refusal = (await taken.json()) as ErrorBody;
    expect(refusal.error.details?.reason).toBe('username-taken');
    expect(refusal.error.message).toMatch(/whole installation/);
    expect(await world.database.db.select().from(schema.homes)).toHaveLength(before.length);
  });

  it('refuses a bad new Home field by field (time zone, name, short password)', async () => {
    const res = await call('/api/district/homes', county, 'POST', {
      name: '',
      timeZone: 'Mars/Olympus',
      admin: { displayName: '某某', username: 'ok-name', password: 'short' },
    });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as ErrorBody).error.details?.fields?.map((f) => f.path) ?? [];
    expect(fields).toEqual(expect.arrayContaining(['name', 'timeZone', 'admin.password']));
  });

  it("acts inside a chosen Home of the district with the admin's rights, and only there", async () => {
    const created = await call('/api/district/homes', county, 'POST', {
      name: '空的之家',
      timeZone: 'Asia/Shanghai',
      admin: { displayName: '空管理员', username: `empty-home-admin-${kind}`, password: NEW_ADMIN_PASSWORD },
    });
    const emptyHomeId = ((await created.json()) as { home: { id: string } }).home.id;

    expect((await call('/api/district/current-home', county, 'POST', { homeId: world.a.home.id })).status).toBe(204);
    const children = await call('/api/children', county);
    expect(children.status).toBe(200);
    expect(await children.text()).toContain(world.a.child.id);
    const staff = await call('/api/staff', county);
    expect(staff.status).toBe(200);
    const me = (await (await call('/api/auth/me', county)).json()) as {
      staff: { id: string; homeId: string; role: string };
    };
    expect(me.staff).toMatchObject({ homeId: world.a.home.id, role: 'district-admin' });
    // Still a district admin: the district's routes answer while acting in a Home.
    expect((await call(`/api/district/homes?${PERIOD}`, county)).status).toBe(200);
    // What they do there is in the Home's audit trail under their name, as the Home's own staff are.
    expect((await call(`/api/children/${world.a.child.id}`, county)).status).toBe(200);
    const countyId = me.staff.id;
    const trail = (await (await call(`/api/audit?staffId=${countyId}&childId=${world.a.child.id}`, county)).json()) as {
      items: { action: string; actor: { kind: string; id: string; name: string | null } }[];
    };
    expect(trail.items.find((item) => item.action === 'child.read')?.actor).toEqual({
      kind: 'staff',
      id: countyId,
      name: '县教育局',
    });

    expect((await call('/api/district/current-home', county, 'POST', { homeId: emptyHomeId })).status).toBe(204);
    const empty = (await (await call('/api/children', county)).json()) as { items: unknown[] };
    expect(empty.items).toEqual([]);
    expect((await call(`/api/children/${world.a.child.id}`, county)).status).toBe(404);
    expect((await listStaff(world.database.db, emptyHomeId)).map((s) => s.displayName)).toEqual(['空管理员']);

    // Another district's Home, or no Home at all, is never reached.
    const foreign = await call('/api/district/current-home', county, 'POST', { homeId: otherHomeId });
    expect(foreign.status).toBe(404);
    expect((await call('/api/children', county)).status).toBe(200);
    expect((await call('/api/district/current-home', county, 'POST', { homeId: null })).status).toBe(204);
    expect((await call('/api/children', county)).status).toBe(403);
    expect((await call('/api/district/current-home', county, 'POST', { homeId: 'nope' })).status).toBe(400);
  });

  it('keeps a Home staff member out of /api/district/* and needs the CSRF token for its changes', async () => {
    for (const who of ['adminA', 'teacherA', 'teacherB'] as const) {
      expect((await world.request(`/api/district/homes?${PERIOD}`, { as: who })).status).toBe(403);
      const res = await world.request('/api/district/current-home', { as: who, json: { homeId: world.a.home.id } });
      expect(res.status).toBe(403);
    }
    expect((await call(`/api/district/homes?${PERIOD}`, null)).status).toBe(401);
    const noCsrf = await Promise.resolve(
      world.app.request('/api/district/current-home', {
        method: 'POST',
        headers: { cookie: county.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ homeId: world.a.home.id }),
      }),
    );
    expect(noCsrf.status).toBe(403);
  });
});

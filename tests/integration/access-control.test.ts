import { createBooking, createFamilyDevice, createFamilyEnrolment, createId } from '@affection/db';
import {
  type ApiWorld,
  createApiWorld,
  DISTRICT_CALLERS,
  type DistrictCaller,
  type DistrictWorld,
  makeDistricts,
  PRINCIPAL_NAMES,
  type PrincipalName,
  signInDistrictCallers,
} from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed } from '../../apps/server/src/auth/policy.ts';
import type { Principal } from '../../apps/server/src/auth/principal.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';

import { listRoutePolicies, type RoutePolicyEntry } from '../../apps/server/src/routes/define-route.ts';
import { EXPECTED_POLICIES } from './route-policies.ts';

/** Every caller the matrix tries: the world's seven kinds and the district admins. */
type Caller = PrincipalName | DistrictCaller;
const CALLERS: readonly Caller[] = [...PRINCIPAL_NAMES, ...DISTRICT_CALLERS];

/** A stand-in principal of each kind, for asking the policy table what it allows. */
function principalOf(name: Caller, world: ApiWorld): Principal {
  const session = { staffId: 'stf_x', sessionId: 'ses_x', csrfToken: 'x' };
  switch (name) {
    case 'districtAdmin':
      return { kind: 'district', districtId: 'dst_x', ...session };
    case 'districtAdminInA':
    case 'districtAdminInB':
    case 'otherDistrictAdminInC':
      return { kind: 'staff', homeId: 'hom_x', role: 'admin', districtId: 'dst_x', ...session };
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'kioskA':
      return { kind: 'kiosk', kioskId: world.a.kiosk.id, homeId: world.a.home.id };
    case 'familyA':
    case 'familyB': {
      const home = name === 'familyA' ? world.a : world.b;
      return {
        kind: 'family',
        contactId: home.contact.id,
        householdId: home.household.id,
        homeId: home.home.id,
        deviceId: 'fdv_x',
      };
    }
    case 'teacherA':
    case 'teacherB':
      return { kind: 'staff', staffId: 'stf_x', homeId: 'hom_x', role: 'teacher', sessionId: 'ses_x', csrfToken: 'x' };
    case 'adminA':
      return { kind: 'staff', staffId: 'stf_x', homeId: 'hom_x', role: 'admin', sessionId: 'ses_x', csrfToken: 'x' };
  }
}

/** Records of Home A that only the matrix makes: a booking of its household, an enrolment link of its contact. */
interface HomeARecords {
  bookingId: string;
  enrolmentId: string;
  deviceId: string;
}

/** Home A's id for a path parameter, chosen by the segment before it; a made-up id otherwise. */
function fillPath(path: string, world: ApiWorld, records: HomeARecords): { url: string; usesHomeAId: boolean } {
  const ids: Record<string, string> = {
    children: world.a.child.id,
    contacts: world.a.contact.id,
    households: world.a.household.id,
    kiosks: world.a.kiosk.id,
    staff: world.a.teacher.id,
    bookings: records.bookingId,
    calls: records.bookingId,
    'family-enrolments': records.enrolmentId,
    'family-devices': records.deviceId,
  };
  let usesHomeAId = false;
  const url = path
    .split('/')
    .map((segment, i, all) => {
      if (!/^\{\w+\}$/.test(segment)) return segment.replace('*', 'index.html');
      const owner = all[i - 1] ?? '';
      if (ids[owner]) {
        usesHomeAId = true;
        return ids[owner];
      }
      return 'zzz_0000000000000000';
    })
    .join('/');
  return { url, usesHomeAId };
}

describe('access control: every route × every caller, over two Homes', () => {
  let world: ApiWorld;
  let routes: RoutePolicyEntry[];
  let records: HomeARecords;
  let district: DistrictWorld;
  beforeAll(async () => {
    world = await createApiWorld('pglite');
    routes = listRoutePolicies(world.app);
    records = await makeHomeARecords(world);
    district = await signInDistrictCallers(world, await makeDistricts(world));
  });

  /** `world.request` as any caller, the district admins included. */
  function requestAs(who: Caller, url: string, method: string): Promise<Response> {
    const body = method === 'GET' || method === 'DELETE' ? {} : { json: {} };
    if ((DISTRICT_CALLERS as readonly string[]).includes(who)) {
      return world.request(url, { method, headers: district.headers[who as DistrictCaller], ...body });
    }
    return world.request(url, { method, as: who as PrincipalName, ...body });
  }

  /** Every fixture caller's credentials again, after a request that may have signed one out. */
  async function refreshCallers(): Promise<void> {
    await world.refreshPrincipals();
    district = await signInDistrictCallers(world, district);
  }
  afterAll(async () => {
    await world?.close();
  });

  it('declares a policy for every registered route', () => {
    const declared = new Set(routes.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`));
    const registered = world.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    const undeclared = [...new Set(registered)].filter((r) => !declared.has(r));
    expect(undeclared).toEqual([]);
    expect(routes.length).toBeGreaterThan(5);
  });

  it('declares for every route exactly the policy in the reviewed table', () => {
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.policy]));
    expect(declared).toEqual(EXPECTED_POLICIES);
  });

  it('lets each caller through only where the policy allows, and answers 401/403 otherwise', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (!route.path.startsWith('/api/') || route.policy === 'public') continue;
      const { url } = fillPath(route.path, world, records);
      for (const who of CALLERS) {
        const method = route.method;
        const res = await requestAs(who, url, method);
        // A request that succeeded may have signed out, revoked or deactivated a fixture caller.
        if (res.status < 300) await refreshCallers();
        const allowed = route.policy === 'webhook' ? false : isAllowed(route.policy, principalOf(who, world));
        const denied = res.status === 401 || res.status === 403;
        if (allowed === denied) failures.push(`${who} ${method} ${route.path} (${route.policy}) → ${res.status}`);
        if (!allowed && who === 'anonymous' && route.policy !== 'webhook' && res.status !== 401) {
          failures.push(`anonymous ${method} ${route.path} should be 401, got ${res.status}`);
        }
        if (res.status >= 500) failures.push(`${who} ${method} ${route.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("never shows or changes Home A's records to staff of Home B", async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (route.policy !== 'teacher' && route.policy !== 'admin') continue;
      const { url, usesHomeAId } = fillPath(route.path, world, records);
      if (!usesHomeAId) continue;
      const res = await world.request(url, {
        method: route.method,
        as: 'teacherB',
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: {} }),
      });
      if (res.status < 300) await world.refreshPrincipals();
      const ok = route.method === 'GET' ? res.status === 404 : res.status === 404 || res.status === 400;
      if (!ok && !(route.policy === 'admin' && res.status === 403))
        failures.push(`${route.method} ${route.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("never shows or changes Home A's records to a district admin acting in another Home: 404 for every id of Home A", async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const who of ['districtAdminInB', 'otherDistrictAdminInC'] as const) {
      for (const route of routes) {
        if (route.policy !== 'teacher' && route.policy !== 'admin') continue;
        const { url, usesHomeAId } = fillPath(route.path, world, records);
        if (!usesHomeAId || !route.path.startsWith('/api/')) continue;
        tried += 1;
        const res = await requestAs(who, url, route.method);
        if (res.status < 300) await refreshCallers();
        const ok = route.method === 'GET' ? res.status === 404 : res.status === 404 || res.status === 400;
        if (!ok) failures.push(`${who} ${route.method} ${route.path} → ${res.status}`);
        if ((await res.text()).includes(world.a.child.givenName)) failures.push(`${who} ${route.path} shows Home A`);
      }
    }
    expect(tried).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it("lists only the district's own Homes to each district admin, and lets none act in another district's Home", async () => {
    const period = '?from=2026-09-01&to=2026-12-31';
    const mine = await requestAs('districtAdmin', `/api/district/homes${period}`, 'GET');
    const mineIds = ((await mine.json()) as { homes: { id: string }[] }).homes.map((h) => h.id);
    expect(mineIds).toEqual(expect.arrayContaining([world.a.home.id, world.b.home.id]));
    expect(mineIds).not.toContain(district.homeC);
    const theirs = await requestAs('otherDistrictAdminInC', `/api/district/homes${period}`, 'GET');
    expect(((await theirs.json()) as { homes: { id: string }[] }).homes.map((h) => h.id)).toEqual([district.homeC]);
    const foreign = await world.request('/api/district/current-home', {
      headers: district.headers.otherDistrictAdminInC,
      json: { homeId: world.a.home.id },
    });
    expect(foreign.status).toBe(404);
    const intoC = await world.request('/api/district/current-home', {
      headers: district.headers.districtAdminInA,
      json: { homeId: district.homeC },
    });
    expect(intoC.status).toBe(404);
    // The refused choice leaves the session where it was: still Home A.
    const home = await requestAs('districtAdminInA', '/api/home', 'GET');
    expect(home.status).toBe(200);
    expect(((await home.json()) as { id: string }).id).toBe(world.a.home.id);
  });

  it("never shows or changes Home A's records to a parent of Home B: 404 for every id of Home A", async () => {
    const failures: string[] = [];
    let tried = 0;
    for (const route of routes) {
      if (route.policy !== 'family') continue;
      const { url, usesHomeAId } = fillPath(route.path, world, records);
      if (!usesHomeAId) continue;
      tried += 1;
      const res = await world.request(url, {
        method: route.method,
        as: 'familyB',
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { json: {} }),
      });
      if (res.status < 300) await world.refreshPrincipals();
      if (res.status !== 404 && res.status !== 400) failures.push(`${route.method} ${route.path} → ${res.status}`);
      const text = await res.text();
      if (text.includes(world.a.child.givenName) && !text.includes(world.b.child.givenName)) {
        failures.push(`${route.method} ${route.path} shows a child of Home A`);
      }
    }
    expect(tried).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });

  it("shows each Home's parent only their own Home and household", async () => {
    for (const [who, home, other] of [
      ['familyA', world.a, world.b],
      ['familyB', world.b, world.a],
    ] as const) {
      const res = await world.request('/api/family/me', { as: who });
      expect(res.status).toBe(200);
      const me = (await res.json()) as { contact: { id: string }; home: { name: string } };
      expect(me.contact.id).toBe(home.contact.id);
      expect(me.home.name).toBe(home.home.name);
      expect(JSON.stringify(me)).not.toContain(other.home.name);
      const bookings = await world.request('/api/family/bookings', { as: who });
      expect(bookings.status).toBe(200);
      const text = await bookings.text();
      if (who === 'familyB') expect(text).not.toContain(records.bookingId);
    }
  });

  it('lists every route, webhooks included, in the OpenAPI document with its policy', async () => {
    const res = await world.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-policy'?: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const missing = routes
      .filter(
        (r) =>
          (r.path.startsWith('/api/') || r.path.startsWith('/webhooks/')) &&
          !r.path.startsWith('/api/docs') &&
          r.path !== '/api/openapi.json',
      )
      .filter((r) => doc.paths[r.path]?.[r.method.toLowerCase()]?.['x-policy'] !== r.policy)
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    const docs = await world.request('/api/docs');
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    const asset = await world.request('/api/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});

/** A confirmed booking of Home A's household tomorrow, an enrolment link of its contact and a signed-in phone. */
async function makeHomeARecords(world: ApiWorld): Promise<HomeARecords> {
  const db = world.database.db;
  const now = world.services.now();
  const start = new Date(Math.ceil(now.getTime() / 3600_000) * 3600_000 + 86_400_000);
  const booked = await createBooking(db, {
    homeId: world.a.home.id,
    kioskId: world.a.kiosk.id,
    householdId: world.a.household.id,
    contactId: world.a.contact.id,
    childIds: [world.a.child.id],
    start,
    end: new Date(start.getTime() + 15 * 60_000),
    status: 'confirmed',
    source: 'teacher',
    now,
  });
  if (!booked.ok) throw new Error(`booking refused: ${booked.reason}`);
  const enrolment = await createFamilyEnrolment(db, {
    contactId: world.a.contact.id,
    tokenHash: hashToken(newToken()),
    createdBy: world.a.teacher.id,
    now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  const deviceId = createId('familyDevice');
  await createFamilyDevice(db, {
    id: deviceId,
    contactId: world.a.contact.id,
    tokenHash: hashToken(newToken()),
    via: 'code',
    now,
    expiresAt: new Date(now.getTime() + 86_400_000),
  });
  return { bookingId: booked.booking.id, enrolmentId: enrolment.id, deviceId };
}

import {
  addDistrictAdmin,
  createDistrict,
  createDistrictHome,
  createStaffSession,
  DEFAULT_DISTRICT_ID,
  schema,
  setSessionCurrentHome,
} from '@affection/db';
import { eq } from 'drizzle-orm';
import { CSRF_HEADER, STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import type { ApiWorld } from './api-world.ts';

/**
 * The district admins the matrix adds to the world's callers: the admin of the district Homes A and B belong to, with
 * no Home chosen, acting in Home A, and acting in Home B; and the admin of a second district acting in its own Home C.
 */
export const DISTRICT_CALLERS = [
  'districtAdmin',
  'districtAdminInA',
  'districtAdminInB',
  'otherDistrictAdminInC',
] as const;
/** One of {@link DISTRICT_CALLERS}. */
export type DistrictCaller = (typeof DISTRICT_CALLERS)[number];

/** The district admins' accounts and the Home each caller acts in (null: none). */
export interface DistrictWorld {
  countyAdminId: string;
  otherAdminId: string;
  homeC: string;
  headers: Record<DistrictCaller, Record<string, string>>;
}

const DISTRICT_CALLER_HOME: Record<DistrictCaller, 'a' | 'b' | 'c' | null> = {
  districtAdmin: null,
  districtAdminInA: 'a',
  districtAdminInB: 'b',
  otherDistrictAdminInC: 'c',
};

/** A second district with Home C, a district admin of each district, and nothing signed in yet. */
export async function makeDistricts(world: ApiWorld): Promise<Omit<DistrictWorld, 'headers'>> {
  const db = world.database.db;
  const [row] = await db.select().from(schema.staff).where(eq(schema.staff.id, world.a.admin.id));
  const passwordHash = row!.passwordHash;
  const county = await addDistrictAdmin(db, DEFAULT_DISTRICT_ID, {
    displayName: '县教育局',
    username: 'county',
    passwordHash,
  });
  const other = await createDistrict(db, { name: '邻县' });
  const homeC = await createDistrictHome(
    db,
    other.id,
    { name: '测试之家C', timeZone: 'Asia/Shanghai' },
    { displayName: 'C管理员', username: 'admin-c', passwordHash },
  );
  const otherAdmin = await addDistrictAdmin(db, other.id, {
    displayName: '邻县教育局',
    username: 'other-county',
    passwordHash,
  });
  if (!county.ok || !otherAdmin.ok || !homeC.ok) throw new Error('district fixtures refused');
  return { countyAdminId: county.admin.id, otherAdminId: otherAdmin.admin.id, homeC: homeC.home.id };
}

/** New sessions for every district caller (a request that succeeded may have signed one out). */
export async function signInDistrictCallers(
  world: ApiWorld,
  district: Omit<DistrictWorld, 'headers'>,
): Promise<DistrictWorld> {
  const db = world.database.db;
  const now = world.services.now();
  const homeIds = { a: world.a.home.id, b: world.b.home.id, c: district.homeC };
  const headers = {} as Record<DistrictCaller, Record<string, string>>;
  for (const who of DISTRICT_CALLERS) {
    const token = newToken();
    const csrf = newToken();
    const sessionId = await createStaffSession(db, {
      staffId: who === 'otherDistrictAdminInC' ? district.otherAdminId : district.countyAdminId,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    const home = DISTRICT_CALLER_HOME[who];
    if (home) await setSessionCurrentHome(db, sessionId, homeIds[home]);
    headers[who] = { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf };
  }
  return { ...district, headers };
}

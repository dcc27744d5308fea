import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addDistrictAdmin,
  createDistrict,
  createDistrictHome,
  createHome,
  createId,
  createStaff,
  createStaffSession,
  DEFAULT_DISTRICT_ID,
  findStaffForLogin,
  findStaffSession,
  getDistrictHome,
  listDistrictHomes,
  listStaff,
  schema,
  setSessionCurrentHome,
} from '../index.ts';

/** Stands in for an argon2id hash: the repository stores and returns it as given. */
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';
const NOW = new Date('2026-12-06T02:00:00Z');

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('districts and district admins (%s)', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('puts a Home made without a district in the default district of migration 0010', async () => {
    const home = await createHome(database.db, { name: '老之家' });
    const [row] = await database.db.select().from(schema.homes).where(eq(schema.homes.id, home.id));
    expect(row?.districtId).toBe(DEFAULT_DISTRICT_ID);
    const [district] = await database.db
      .select()
      .from(schema.districts)
      .where(eq(schema.districts.id, DEFAULT_DISTRICT_ID));
    expect(district?.name).toBe('默认区县');
    expect((await listDistrictHomes(database.db, DEFAULT_DISTRICT_ID)).map((h) => h.id)).toContain(home.id);
  });

  it('creates a Home with its first admin in one go, and lists it only in its own district', async () => {
    const district = await createDistrict(database.db, { name: '甲县' });
    const made = await createDistrictHome(
      database.db,
      district.id,
      { name: '甲县之家', timeZone: 'Asia/Urumqi' },
      { displayName: '甲管理员', username: 'jia-admin', passwordHash: HASH },
    );
    if (!made.ok) throw new Error(made.reason);
    expect(made.home.timeZone).toBe('Asia/Urumqi');
    expect(made.admin).toMatchObject({ role: 'admin', homeId: made.home.id });
    expect((await listDistrictHomes(database.db, district.id)).map((h) => h.id)).toEqual([made.home.id]);
    expect(await getDistrictHome(database.db, DEFAULT_DISTRICT_ID, made.home.id)).toBeNull();
    expect((await getDistrictHome(database.db, district.id, made.home.id))?.name).toBe('甲县之家');

    const before = await database.db.select().from(schema.homes);
    const taken = await createDistrictHome(
      database.db,
      district.id,
      { name: '重名之家', timeZone: 'Asia/Shanghai' },
      { displayName: '重名', username: 'JIA-ADMIN', passwordHash: HASH },
    );
    expect(taken).toEqual({ ok: false, reason: 'username-taken' });
    expect(await database.db.select().from(schema.homes)).toHaveLength(before.length);
  });

  it("keeps a district admin out of every Home's staff, signs them in, and counts a session's Home only in their district", async () => {
    const district = await createDistrict(database.db, { name: '乙县' });
    const mine = await createDistrictHome(
      database.db,
      district.id,
      { name: '乙县之家', timeZone: 'Asia/Shanghai' },
      { displayName: '乙管理员', username: 'yi-admin', passwordHash: HASH },
    );
    const foreign = await createHome(database.db, { name: '别县之家' });
    if (!mine.ok) throw new Error(mine.reason);
    const admin = await addDistrictAdmin(database.db, district.id, {
      displayName: '乙县教育局',
      username: 'yi-county',
      phone: '+8613900001111',
      passwordHash: HASH,
    });
    if (!admin.ok) throw new Error(admin.reason);
    expect((await listStaff(database.db, mine.home.id)).map((s) => s.id)).not.toContain(admin.admin.id);
    const login = await findStaffForLogin(database.db, { phone: '+8613900001111' });
    expect(login).toMatchObject({ role: 'district-admin', districtId: district.id, passwordHash: HASH });
    expect(
      await addDistrictAdmin(database.db, district.id, {
        displayName: 'x',
        phone: '+8613900001111',
        passwordHash: HASH,
      }),
    ).toEqual({
      ok: false,
      reason: 'phone-taken',
    });

    const sessionId = await createStaffSession(database.db, {
      staffId: admin.admin.id,
      tokenHash: 'hash-of-yi',
      csrfToken: 'csrf',
      now: NOW,
      expiresAt: new Date(NOW.getTime() + 3600_000),
    });
    expect(await findStaffSession(database.db, 'hash-of-yi')).toMatchObject({
      role: 'district-admin',
      districtId: district.id,
      currentHomeId: null,
    });
    await setSessionCurrentHome(database.db, sessionId, mine.home.id);
    expect((await findStaffSession(database.db, 'hash-of-yi')) as { currentHomeId: string }).toMatchObject({
      currentHomeId: mine.home.id,
    });
    // A Home of another district written on the session by any means is not counted.
    await setSessionCurrentHome(database.db, sessionId, foreign.id);
    expect(await findStaffSession(database.db, 'hash-of-yi')).toMatchObject({ currentHomeId: null });
  });

  it('refuses, in the database, a district admin with a Home, Home staff without one, and an unknown district', async () => {
    const district = await createDistrict(database.db, { name: '丙县' });
    const home = await createHome(database.db, { name: '丙之家' });
    const insert = (values: Partial<typeof schema.staff.$inferInsert>) =>
      database.db.insert(schema.staff).values({
        id: createId('staff'),
        role: 'district-admin',
        displayName: 'x',
        username: `u-${createId('staff')}`,
        passwordHash: HASH,
        ...values,
      });
    await expect(insert({ districtId: district.id, homeId: home.id })).rejects.toThrow();
    await expect(insert({ districtId: null, homeId: null })).rejects.toThrow();
    await expect(insert({ role: 'admin', homeId: null, districtId: null })).rejects.toThrow();
    await expect(insert({ role: 'teacher', homeId: home.id, districtId: district.id })).rejects.toThrow();
    await expect(insert({ districtId: 'dst_zzzzzzzzzzzzzzzz' })).rejects.toThrow();
    await expect(
      createStaff(database.db, home.id, {
        role: 'teacher',
        displayName: '丙老师',
        username: 'bing-t',
        passwordHash: HASH,
      }),
    ).resolves.toMatchObject({ homeId: home.id });
  });
});

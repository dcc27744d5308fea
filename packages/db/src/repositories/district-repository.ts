import type { District, DistrictAdmin, Home, Staff } from '@affection/core';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { createId } from '../ids.ts';
import { districts, homes, staff } from '../schema/index.ts';
import { createStaff, toDistrictAdmin } from './staff-repository.ts';

/** Why a new account (a district admin, a new Home's first admin) was refused: its login name is someone's already. */
export type AccountRejection = 'username-taken' | 'phone-taken';

/** Login names and password hash of a new account; the caller hashes the password. */
export interface NewAccount {
  displayName: string;
  username?: string | null;
  phone?: string | null;
  passwordHash: string;
}

function loginNameTaken(error: unknown): AccountRejection | null {
  const constraint = uniqueViolationOf(error);
  if (constraint === 'staff_username_unique') return 'username-taken';
  if (constraint === 'staff_phone_unique') return 'phone-taken';
  return null;
}

/** Creates a district (county). */
export async function createDistrict(db: Db, input: { name: string }): Promise<District> {
  const [row] = await db
    .insert(districts)
    .values({ id: createId('district'), name: input.name })
    .returning();
  return row!;
}

/** One district, or null. */
export async function getDistrict(db: Db, districtId: string): Promise<District | null> {
  const [row] = await db.select().from(districts).where(eq(districts.id, districtId));
  return row ?? null;
}

/** Every district, oldest first (the default district of migration 0010 among them). */
export async function listDistricts(db: Db): Promise<District[]> {
  return db.select().from(districts).orderBy(asc(districts.createdAt), asc(districts.id));
}

/** The Homes of a district, oldest first: what its admins see. */
export async function listDistrictHomes(db: Db, districtId: string): Promise<Home[]> {
  const rows = await db
    .select()
    .from(homes)
    .where(eq(homes.districtId, districtId))
    .orderBy(asc(homes.createdAt), asc(homes.id));
  return rows.map(({ districtId: _district, ...home }) => home);
}

/** A Home of the district, or null when there is no such Home or it is another district's. */
export async function getDistrictHome(db: Db, districtId: string, homeId: string): Promise<Home | null> {
  const [row] = await db
    .select()
    .from(homes)
    .where(and(eq(homes.id, homeId), eq(homes.districtId, districtId)));
  if (!row) return null;
  const { districtId: _district, ...home } = row;
  return home;
}

/** Result of {@link addDistrictAdmin}. */
export type DistrictAdminResult = { ok: true; admin: DistrictAdmin } | { ok: false; reason: AccountRejection };

/** Creates a district admin; a username (any case) or phone already in use anywhere is refused as a value. */
export async function addDistrictAdmin(db: Db, districtId: string, input: NewAccount): Promise<DistrictAdminResult> {
  try {
    const [row] = await db
      .insert(staff)
      .values({
        id: createId('staff'),
        districtId,
        homeId: null,
        role: 'district-admin',
        displayName: input.displayName,
        username: input.username ?? null,
        phone: input.phone ?? null,
        passwordHash: input.passwordHash,
      })
      .returning();
    return { ok: true, admin: toDistrictAdmin(row!) };
  } catch (error) {
    const reason = loginNameTaken(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

/** Result of {@link createDistrictHome}. */
export type DistrictHomeResult = { ok: true; home: Home; admin: Staff } | { ok: false; reason: AccountRejection };

/**
 * Creates a Home in a district together with its first admin, in one transaction: a taken login name leaves no
 * Home behind. The Home's other settings take the database defaults.
 */
export async function createDistrictHome(
  db: Db,
  districtId: string,
  input: { name: string; timeZone: string },
  firstAdmin: NewAccount,
): Promise<DistrictHomeResult> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(homes)
        .values({ id: createId('home'), districtId, name: input.name, timeZone: input.timeZone })
        .returning();
      const { districtId: _district, ...home } = row!;
      const admin = await createStaff(tx, home.id, { role: 'admin', ...firstAdmin });
      return { ok: true, home, admin } as const;
    });
  } catch (error) {
    const reason = loginNameTaken(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

/** A district admin of the district (active or not), or null. */
export async function getDistrictAdmin(db: Db, districtId: string, staffId: string): Promise<DistrictAdmin | null> {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.districtId, districtId), eq(staff.role, 'district-admin')));
  return row ? toDistrictAdmin(row) : null;
}

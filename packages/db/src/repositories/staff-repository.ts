import type { DistrictAdmin, Staff, StaffRole } from '@affection/core';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { staff } from '../schema/index.ts';

type StaffRow = typeof staff.$inferSelect;

/** A Home's staff member from its row; every read here is scoped to a Home, whose rows hold one (the schema's check). */
function toStaff(row: StaffRow): Staff {
  if (row.homeId === null || row.role === 'district-admin') {
    throw new Error(`Staff row ${row.id} belongs to no Home`);
  }
  return { ...accountOf(row), homeId: row.homeId, role: row.role };
}

/** A district admin's account from its row (role `district-admin`: the schema's check gives it a district). */
export function toDistrictAdmin(row: StaffRow): DistrictAdmin {
  if (row.districtId === null || row.role !== 'district-admin') {
    throw new Error(`Staff row ${row.id} is not a district admin`);
  }
  return { ...accountOf(row), districtId: row.districtId, role: row.role };
}

/** What every staff account has, whether of a Home or of a district. */
function accountOf(row: StaffRow) {
  return {
    id: row.id,
    displayName: row.displayName,
    username: row.username,
    phone: row.phone,
    active: row.active,
    createdAt: row.createdAt,
  };
}

/** An account that signs in: a Home's staff member or a district admin, with the password hash. */
export type LoginAccount = (Staff | DistrictAdmin) & { passwordHash: string };

/** Fields for a new staff member; the caller hashes the password. */
export interface NewStaff {
  role: StaffRole;
  displayName: string;
  username?: string | null;
  phone?: string | null;
  passwordHash: string;
}

/** Creates a staff member in a Home. */
export async function createStaff(db: Db, homeId: string, input: NewStaff): Promise<Staff> {
  const [row] = await db
    .insert(staff)
    .values({ id: createId('staff'), homeId, ...input })
    .returning();
  return toStaff(row!);
}

/** One staff member of a Home, or null. */
export async function getStaff(db: Db, homeId: string, staffId: string): Promise<Staff | null> {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.homeId, homeId)));
  return row ? toStaff(row) : null;
}

/** A Home's staff, by name. */
export async function listStaff(db: Db, homeId: string): Promise<Staff[]> {
  const rows = await db.select().from(staff).where(eq(staff.homeId, homeId)).orderBy(asc(staff.displayName));
  return rows.map(toStaff);
}

/**
 * The active account (a Home's staff member or a district admin) that signs in with this username (any case) or
 * E.164 phone, with the password hash. Login names are unique over the installation, so at most one matches.
 */
export async function findStaffForLogin(
  db: Db,
  login: { username?: string; phone?: string },
): Promise<LoginAccount | null> {
  const conditions = [];
  if (login.username) conditions.push(sql`lower(${staff.username}) = lower(${login.username})`);
  if (login.phone) conditions.push(eq(staff.phone, login.phone));
  if (conditions.length === 0) return null;
  const [row] = await db
    .select()
    .from(staff)
    .where(and(or(...conditions), eq(staff.active, true)))
    .limit(1);
  if (!row) return null;
  const account = row.role === 'district-admin' ? toDistrictAdmin(row) : toStaff(row);
  return { ...account, passwordHash: row.passwordHash };
}

/** The password hash of a staff member, or null. */
export async function getStaffPasswordHash(db: Db, staffId: string): Promise<string | null> {
  const [row] = await db.select({ hash: staff.passwordHash }).from(staff).where(eq(staff.id, staffId));
  return row?.hash ?? null;
}

/** Replaces a staff member's password hash. */
export async function setStaffPassword(db: Db, staffId: string, passwordHash: string, now: Date): Promise<void> {
  await db.update(staff).set({ passwordHash, passwordChangedAt: now }).where(eq(staff.id, staffId));
}

/** Changes a staff member's name, login names, role or active flag. */
export async function updateStaff(
  db: Db,
  homeId: string,
  staffId: string,
  patch: Partial<Pick<StaffRow, 'displayName' | 'username' | 'phone' | 'role' | 'active'>>,
): Promise<Staff | null> {
  const [row] = await db
    .update(staff)
    .set(patch)
    .where(and(eq(staff.id, staffId), eq(staff.homeId, homeId)))
    .returning();
  return row ? toStaff(row) : null;
}

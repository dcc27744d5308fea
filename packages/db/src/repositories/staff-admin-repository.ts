import type { Staff } from '@affection/core';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { homes, staff } from '../schema/index.ts';
import { createStaff, type NewStaff, updateStaff } from './staff-repository.ts';

/** Why a staff change was refused: expected outcomes, never exceptions. */
export type StaffChangeRejection = 'not-found' | 'username-taken' | 'phone-taken' | 'no-active-admin';

/** Result of {@link addStaffMember} and {@link changeStaffMember}. */
export type StaffChangeResult = { ok: true; staff: Staff } | { ok: false; reason: StaffChangeRejection };

/** What an admin may change on a staff member. */
export type StaffMemberPatch = Partial<Pick<Staff, 'displayName' | 'username' | 'phone' | 'role' | 'active'>>;

class NoActiveAdmin extends Error {}

function loginNameTaken(error: unknown): 'username-taken' | 'phone-taken' | null {
  const constraint = uniqueViolationOf(error);
  if (constraint === 'staff_username_unique') return 'username-taken';
  if (constraint === 'staff_phone_unique') return 'phone-taken';
  return null;
}

/** Creates a staff member; a username (any case) or phone already in use gives `username-taken`/`phone-taken`. */
export async function addStaffMember(db: Db, homeId: string, input: NewStaff): Promise<StaffChangeResult> {
  try {
    return { ok: true, staff: await createStaff(db, homeId, input) };
  } catch (error) {
    const reason = loginNameTaken(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

/**
 * Changes a staff member of a Home, refusing any change that would leave the Home without an
 * active admin (`no-active-admin`). The Home's row is locked for the change, so two admins
 * demoting each other at once cannot both succeed.
 */
export async function changeStaffMember(
  db: Db,
  homeId: string,
  staffId: string,
  patch: StaffMemberPatch,
): Promise<StaffChangeResult> {
  try {
    return await db.transaction(async (tx) => {
      await tx.select({ id: homes.id }).from(homes).where(eq(homes.id, homeId)).for('update');
      const changed = await updateStaff(tx, homeId, staffId, patch);
      if (!changed) return { ok: false, reason: 'not-found' } as const;
      const [admins] = await tx
        .select({ total: count() })
        .from(staff)
        .where(and(eq(staff.homeId, homeId), eq(staff.role, 'admin'), eq(staff.active, true)));
      if (Number(admins?.total ?? 0) === 0) throw new NoActiveAdmin();
      return { ok: true, staff: changed } as const;
    });
  } catch (error) {
    if (error instanceof NoActiveAdmin) return { ok: false, reason: 'no-active-admin' };
    const reason = loginNameTaken(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

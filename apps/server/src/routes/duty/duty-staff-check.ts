import { AppError, type Staff } from '@affection/core';
import type { Db } from '@affection/db';
import { listStaff } from '@affection/db';

/**
 * Checks that every id names a staff member of the Home (else 404) and, when `active` is asked,
 * that they are active (else 422). Returns them by id.
 */
export async function requireHomeStaff(
  db: Db,
  homeId: string,
  staffIds: readonly string[],
  options: { active: boolean },
): Promise<Map<string, Staff>> {
  const byId = new Map((await listStaff(db, homeId)).map((member) => [member.id, member]));
  for (const id of new Set(staffIds)) {
    const member = byId.get(id);
    if (!member) throw new AppError('not-found', 'No such staff member in your Home.', { details: { staffId: id } });
    if (options.active && !member.active) {
      throw new AppError('unprocessable', 'This staff member is deactivated and cannot be put on duty.', {
        userMessageKey: 'error.duty.staff-inactive',
        details: { reason: 'staff-inactive', staffId: id },
      });
    }
  }
  return byId;
}

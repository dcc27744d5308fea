import type { DistrictAdmin, Staff } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { StaffSummarySchema } from './auth-schemas.ts';

/**
 * The account fields {@link StaffSummarySchema} shows. A district admin's `homeId` is the Home they act in on this
 * session (`currentHomeId`, null for none).
 */
export function toStaffSummary(
  account: Staff | DistrictAdmin,
  currentHomeId: string | null = null,
): z.infer<typeof StaffSummarySchema> {
  const { id, displayName } = account;
  if (account.role === 'district-admin') {
    return { id, displayName, role: account.role, homeId: currentHomeId, districtId: account.districtId };
  }
  return { id, displayName, role: account.role, homeId: account.homeId, districtId: null };
}

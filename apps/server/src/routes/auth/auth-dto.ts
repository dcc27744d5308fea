import type { z } from '@hono/zod-openapi';
import type { StaffSummarySchema } from './auth-schemas.ts';

/** The staff fields {@link StaffSummarySchema} shows. */
export function toStaffSummary(staff: {
  id: string;
  displayName: string;
  role: 'admin' | 'teacher';
  homeId: string;
}): z.infer<typeof StaffSummarySchema> {
  return { id: staff.id, displayName: staff.displayName, role: staff.role, homeId: staff.homeId };
}

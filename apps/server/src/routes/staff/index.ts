import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateStaff } from './create-staff.ts';
import { registerDeactivateStaff } from './deactivate-staff.ts';
import { registerGetStaff } from './get-staff.ts';
import { registerListStaff } from './list-staff.ts';
import { registerReactivateStaff } from './reactivate-staff.ts';
import { registerResetStaffPassword } from './reset-staff-password.ts';
import { registerUpdateStaff } from './update-staff.ts';

/** The Home's staff accounts (admin only). */
export function registerStaffRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListStaff(app);
  registerCreateStaff(app);
  registerGetStaff(app);
  registerUpdateStaff(app);
  registerDeactivateStaff(app);
  registerReactivateStaff(app);
  registerResetStaffPassword(app);
}

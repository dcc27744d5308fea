import { AppError } from '@affection/core';
import { getDistrictAdmin, getStaff } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toStaffSummary } from './auth-dto.ts';
import { StaffSessionSchema } from './auth-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/auth/me',
  tags: ['auth'],
  summary: 'Who is signed in (staff or a district admin), with the CSRF token of this session',
  description: 'The console calls it after a reload to learn the X-CSRF-Token again (the cookie is httpOnly).',
  responses: {
    200: { description: 'The signed-in staff member', content: { 'application/json': { schema: StaffSessionSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/auth/me` (account: a Home's staff member or a district admin, with the Home they act in). */
export function registerGetMe(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'account', route, async (c, caller) => {
    const db = c.get('services').database.db;
    const districtId = caller.districtId;
    const account =
      districtId !== undefined
        ? await getDistrictAdmin(db, districtId, caller.staffId)
        : caller.kind === 'staff'
          ? await getStaff(db, caller.homeId, caller.staffId)
          : null;
    if (!account?.active) throw new AppError('unauthenticated', 'Please sign in first.');
    const currentHomeId = caller.kind === 'staff' ? caller.homeId : null;
    c.header('Cache-Control', 'no-store');
    return c.json({ staff: toStaffSummary(account, currentHomeId), csrfToken: caller.csrfToken }, 200);
  });
}

import { AppError } from '@affection/core';
import { getStaff } from '@affection/db';
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
  summary: 'Who is signed in, with the CSRF token of this session',
  description: 'The console calls it after a reload to learn the X-CSRF-Token again (the cookie is httpOnly).',
  responses: {
    200: { description: 'The signed-in staff member', content: { 'application/json': { schema: StaffSessionSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/auth/me` (teacher). */
export function registerGetMe(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, principal) => {
    const staff = await getStaff(c.get('services').database.db, principal.homeId, principal.staffId);
    if (!staff?.active) throw new AppError('unauthenticated', 'Please sign in first.');
    c.header('Cache-Control', 'no-store');
    return c.json({ staff: toStaffSummary(staff), csrfToken: principal.csrfToken }, 200);
  });
}

import { revokeStaffSession } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { clearSessionCookie } from './session-cookie.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: end this session and drop its cookie',
  responses: {
    204: { description: 'Signed out' },
    ...errorResponses(401, 403),
  },
});

/** `POST /api/auth/logout` (account, with the CSRF token). Other sessions of the same person stay. */
export function registerSignOut(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'account', route, async (c, staff) => {
    await revokeStaffSession(c.get('services').database.db, staff.sessionId, c.get('services').now());
    await audit(c, 'staff.logout', 'staff', staff.staffId, { sessionId: staff.sessionId });
    clearSessionCookie(c);
    return c.body(null, 204);
  });
}

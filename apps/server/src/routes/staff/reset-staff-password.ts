import { AppError } from '@affection/core';
import { getStaff, revokeAllStaffSessions, setStaffPassword } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { ownAccountError } from './staff-errors.ts';
import { ResetPasswordSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/staff/{id}/password',
  tags: ['staff'],
  summary: "Set another staff member's password (they forgot it); their sessions end",
  request: {
    params: idParam('stf'),
    body: { required: true, content: { 'application/json': { schema: ResetPasswordSchema } } },
  },
  'x-refusals': refusals('staff', 'own-password'),
  responses: {
    204: { description: 'Password set; every session of that staff member ended' },
    ...errorResponses(400, 401, 403, 404, 422),
  },
});

/** `POST /api/staff/{id}/password` (admin): not for one's own password (422). */
export function registerResetStaffPassword(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const { id } = c.req.valid('param');
    const { password } = c.req.valid('json');
    const { database, now } = c.get('services');
    if (id === caller.staffId) throw ownAccountError('password');
    const member = await getStaff(database.db, caller.homeId, id);
    if (!member) throw new AppError('not-found', 'No such staff member in your Home.');
    await setStaffPassword(database.db, member.id, await hashPassword(password), now());
    await revokeAllStaffSessions(database.db, member.id, now());
    await audit(c, 'staff.password_reset', 'staff', member.id);
    return c.body(null, 204);
  });
}

import { AppError } from '@affection/core';
import { changeStaffMember, getStaff, revokeAllStaffSessions } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toStaffDto } from './staff-dto.ts';
import { ownAccountError, staffChangeError } from './staff-errors.ts';
import { StaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/staff/{id}/deactivate',
  tags: ['staff'],
  summary: 'Deactivate a staff member: they are signed out and can no longer sign in',
  request: { params: idParam('stf') },
  'x-refusals': refusals('staff', 'no-active-admin', 'own-deactivate'),
  responses: {
    200: { description: 'Deactivated (or already inactive)', content: { 'application/json': { schema: StaffSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/**
 * `POST /api/staff/{id}/deactivate` (admin). Not oneself (422), not the last active admin (409).
 * Every session of the staff member ends at once.
 */
export function registerDeactivateStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    if (id === caller.staffId) throw ownAccountError('deactivate');
    const current = await getStaff(database.db, caller.homeId, id);
    if (!current) throw new AppError('not-found', 'No such staff member in your Home.');
    if (!current.active) return c.json(toStaffDto(current), 200);
    const result = await changeStaffMember(database.db, caller.homeId, id, { active: false });
    if (!result.ok) throw staffChangeError(result.reason);
    await revokeAllStaffSessions(database.db, id, now());
    await audit(c, 'staff.deactivate', 'staff', id);
    return c.json(toStaffDto(result.staff), 200);
  });
}

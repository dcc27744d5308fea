import { AppError } from '@affection/core';
import { changeStaffMember, getStaff } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toStaffDto } from './staff-dto.ts';
import { staffChangeError } from './staff-errors.ts';
import { StaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/staff/{id}/reactivate',
  tags: ['staff'],
  summary: 'Let a deactivated staff member sign in again',
  request: { params: idParam('stf') },
  'x-refusals': refusals('staff', 'username-taken', 'phone-taken'),
  responses: {
    200: { description: 'Active again (or already active)', content: { 'application/json': { schema: StaffSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/staff/{id}/reactivate` (admin). Old sessions stay ended: they sign in afresh. */
export function registerReactivateStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const { id } = c.req.valid('param');
    const db = c.get('services').database.db;
    const current = await getStaff(db, caller.homeId, id);
    if (!current) throw new AppError('not-found', 'No such staff member in your Home.');
    if (current.active) return c.json(toStaffDto(current), 200);
    const result = await changeStaffMember(db, caller.homeId, id, { active: true });
    if (!result.ok) throw staffChangeError(result.reason);
    await audit(c, 'staff.reactivate', 'staff', id);
    return c.json(toStaffDto(result.staff), 200);
  });
}

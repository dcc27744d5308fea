import { AppError } from '@affection/core';
import { changeStaffMember, getStaff } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toStaffDto } from './staff-dto.ts';
import { ownAccountError, staffChangeError } from './staff-errors.ts';
import { StaffSchema, UpdateStaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/staff/{id}',
  tags: ['staff'],
  summary: "Change a staff member's name, role or sign-in names",
  request: {
    params: idParam('stf'),
    body: { required: true, content: { 'application/json': { schema: UpdateStaffSchema } } },
  },
  'x-refusals': refusals(
    'staff',
    'username-taken',
    'phone-taken',
    'no-active-admin',
    'own-role',
    'login-name-required',
  ),
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: StaffSchema } } },
    ...errorResponses(400, 401, 403, 404, 409, 422),
  },
});

/**
 * `PATCH /api/staff/{id}` (admin). An admin cannot change their own role; the Home keeps at
 * least one active admin; a staff member keeps a username or a phone to sign in with.
 */
export function registerUpdateStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, caller) => {
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const db = c.get('services').database.db;
    const current = await getStaff(db, caller.homeId, id);
    if (!current) throw new AppError('not-found', 'No such staff member in your Home.');
    if (id === caller.staffId && patch.role !== undefined && patch.role !== current.role) {
      throw ownAccountError('role');
    }
    const username = patch.username === undefined ? current.username : patch.username;
    const phone = patch.phone === undefined ? current.phone : patch.phone;
    if (!username && !phone) {
      throw new AppError('unprocessable', 'A staff member needs a username or a phone number to sign in with.', {
        userMessageKey: 'error.staff.login-name-required',
        details: { reason: 'login-name-required' },
      });
    }
    const result = await changeStaffMember(db, caller.homeId, id, patch);
    if (!result.ok) throw staffChangeError(result.reason);
    await audit(c, 'staff.update', 'staff', id, { fields: Object.keys(patch) });
    return c.json(toStaffDto(result.staff), 200);
  });
}

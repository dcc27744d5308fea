import { addStaffMember } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import { hashPassword } from '../../auth/passwords.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toStaffDto } from './staff-dto.ts';
import { staffChangeError } from './staff-errors.ts';
import { CreateStaffSchema, StaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/staff',
  tags: ['staff'],
  summary: 'Add a teacher or admin with an initial password',
  request: { body: { required: true, content: { 'application/json': { schema: CreateStaffSchema } } } },
  'x-refusals': refusals('staff', 'username-taken', 'phone-taken'),
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: StaffSchema } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

/** `POST /api/staff` (admin): a taken username or phone is 409, never a 500. */
export function registerCreateStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { password, ...input } = c.req.valid('json');
    const result = await addStaffMember(c.get('services').database.db, staff.homeId, {
      role: input.role,
      displayName: input.displayName,
      username: input.username ?? null,
      phone: input.phone ?? null,
      passwordHash: await hashPassword(password),
    });
    if (!result.ok) throw staffChangeError(result.reason);
    await audit(c, 'staff.create', 'staff', result.staff.id, { fields: Object.keys(input) });
    return c.json(toStaffDto(result.staff), 201);
  });
}

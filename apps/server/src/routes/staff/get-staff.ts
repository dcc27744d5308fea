import { AppError } from '@affection/core';
import { getStaff } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toStaffDto } from './staff-dto.ts';
import { StaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/staff/{id}',
  tags: ['staff'],
  summary: 'One staff member, with the full phone number (for editing)',
  request: { params: idParam('stf') },
  responses: {
    200: { description: 'The staff member', content: { 'application/json': { schema: StaffSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/staff/{id}` (admin). */
export function registerGetStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const member = await getStaff(c.get('services').database.db, staff.homeId, id);
    if (!member) throw new AppError('not-found', 'No such staff member in your Home.');
    return c.json(toStaffDto(member), 200);
  });
}

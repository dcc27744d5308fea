import { listStaff } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toStaffDto } from './staff-dto.ts';
import { StaffSchema } from './staff-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/staff',
  tags: ['staff'],
  summary: "The Home's staff, by name, phone numbers masked",
  request: {
    query: z.object({
      includeInactive: z.enum(['true', 'false']).optional().openapi({ description: 'Default false' }),
    }),
  },
  responses: {
    200: {
      description: 'The staff',
      content: { 'application/json': { schema: z.object({ items: z.array(StaffSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/staff` (admin). */
export function registerListStaff(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { includeInactive } = c.req.valid('query');
    const members = await listStaff(c.get('services').database.db, staff.homeId);
    const items = members
      .filter((member) => includeInactive === 'true' || member.active)
      .map((member) => toStaffDto(member, { masked: true }));
    return c.json({ items }, 200);
  });
}

import { listDutyOverrides } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { DateSchema, errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toDutyOverrideDto } from './duty-dto.ts';
import { DutyOverrideSchema } from './duty-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/duty/overrides',
  tags: ['duty'],
  summary: 'Dated changes to the rota, by date, optionally between two dates (inclusive)',
  request: { query: z.object({ from: DateSchema.optional(), to: DateSchema.optional() }) },
  responses: {
    200: {
      description: 'The changes',
      content: { 'application/json': { schema: z.object({ items: z.array(DutyOverrideSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/duty/overrides` (teacher). */
export function registerListDutyOverrides(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const range = c.req.valid('query');
    const overrides = await listDutyOverrides(c.get('services').database.db, staff.homeId, range);
    return c.json({ items: overrides.map(toDutyOverrideDto) }, 200);
  });
}

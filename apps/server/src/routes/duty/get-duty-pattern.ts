import { listDutyPattern } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toDutyPatternEntryDto } from './duty-dto.ts';
import { DutyPatternEntrySchema } from './duty-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/duty/pattern',
  tags: ['duty'],
  summary: 'The weekly duty rota, by weekday then name',
  responses: {
    200: {
      description: 'The rota',
      content: { 'application/json': { schema: z.object({ entries: z.array(DutyPatternEntrySchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/duty/pattern` (teacher). */
export function registerGetDutyPattern(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const entries = await listDutyPattern(c.get('services').database.db, staff.homeId);
    return c.json({ entries: entries.map(toDutyPatternEntryDto) }, 200);
  });
}

import { AppError } from '@affection/core';
import { listDiaryEntries } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { DiaryEntrySchema, toDiaryEntryDto } from './diary-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}/diary',
  tags: ['diary'],
  summary: "A child's growth diary, newest day first (audited)",
  request: { params: idParam('chd') },
  responses: {
    200: {
      description: 'The entries',
      content: { 'application/json': { schema: z.object({ entries: z.array(DiaryEntrySchema) }) } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/children/{id}/diary` (teacher): every staff member of the Home reads it; each read is audited. */
export function registerListDiaryEntries(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const entries = await listDiaryEntries(c.get('services').database.db, staff.homeId, id);
    if (!entries) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'diary.read', 'child', id);
    return c.json({ entries: entries.map((entry) => toDiaryEntryDto(entry, staff)) }, 200);
  });
}

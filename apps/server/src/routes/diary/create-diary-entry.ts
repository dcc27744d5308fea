import { AppError } from '@affection/core';
import { createDiaryEntry } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { CreateDiaryEntrySchema, DiaryEntrySchema, toDiaryEntryDto } from './diary-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/children/{id}/diary',
  tags: ['diary'],
  summary: "Write an entry in a child's growth diary",
  request: {
    params: idParam('chd'),
    body: { required: true, content: { 'application/json': { schema: CreateDiaryEntrySchema } } },
  },
  responses: {
    201: { description: 'Written', content: { 'application/json': { schema: DiaryEntrySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `POST /api/children/{id}/diary` (teacher): the caller is the author; audited with ids only, never the text. */
export function registerCreateDiaryEntry(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const entry = await createDiaryEntry(
      database.db,
      staff.homeId,
      id,
      staff.staffId,
      { entryDate: input.entryDate, text: input.text, mood: input.mood ?? null, tags: input.tags ?? [] },
      now(),
    );
    if (!entry) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'diary.create', 'child', id, { diaryEntryId: entry.id });
    return c.json(toDiaryEntryDto(entry, staff), 201);
  });
}

import { AppError } from '@affection/core';
import { getDiaryEntry, updateDiaryEntry } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { canChangeDiaryEntry, DiaryEntrySchema, toDiaryEntryDto, UpdateDiaryEntrySchema } from './diary-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/diary/{id}',
  tags: ['diary'],
  summary: 'Change a growth-diary entry (your own; the admin any)',
  request: {
    params: idParam('dia'),
    body: { required: true, content: { 'application/json': { schema: UpdateDiaryEntrySchema } } },
  },
  'x-refusals': refusals('diary', 'not-author'),
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: DiaryEntrySchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `PATCH /api/diary/{id}` (teacher): another's entry is 403 unless the caller is the admin; audited with field names. */
export function registerUpdateDiaryEntry(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    const { database, now } = c.get('services');
    const entry = await getDiaryEntry(database.db, staff.homeId, id);
    if (!entry) throw new AppError('not-found', 'No such diary entry in your Home.');
    if (!canChangeDiaryEntry(staff, entry)) {
      throw new AppError('forbidden', 'Only its author or the admin can change a diary entry.', {
        userMessageKey: 'error.diary.not-author',
        details: { reason: 'not-author' },
      });
    }
    const updated = await updateDiaryEntry(database.db, staff.homeId, id, input, now());
    if (!updated) throw new AppError('not-found', 'No such diary entry in your Home.');
    await audit(c, 'diary.update', 'child', entry.childId, { diaryEntryId: id, fields: Object.keys(input).sort() });
    return c.json(toDiaryEntryDto(updated, staff), 200);
  });
}

import { AppError } from '@affection/core';
import { deleteDiaryEntry, getDiaryEntry } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { canChangeDiaryEntry } from './diary-schemas.ts';

export const route = createRoute({
  method: 'delete',
  path: '/api/diary/{id}',
  tags: ['diary'],
  summary: 'Delete a growth-diary entry for good (your own; the admin any)',
  request: { params: idParam('dia') },
  'x-refusals': refusals('diary', 'not-author'),
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `DELETE /api/diary/{id}` (teacher): another's entry is 403 unless the caller is the admin; audited. */
export function registerDeleteDiaryEntry(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const db = c.get('services').database.db;
    const entry = await getDiaryEntry(db, staff.homeId, id);
    if (!entry) throw new AppError('not-found', 'No such diary entry in your Home.');
    if (!canChangeDiaryEntry(staff, entry)) {
      throw new AppError('forbidden', 'Only its author or the admin can delete a diary entry.', {
        userMessageKey: 'error.diary.not-author',
        details: { reason: 'not-author' },
      });
    }
    if (!(await deleteDiaryEntry(db, staff.homeId, id))) {
      throw new AppError('not-found', 'No such diary entry in your Home.');
    }
    await audit(c, 'diary.delete', 'child', entry.childId, { diaryEntryId: id });
    return c.body(null, 204);
  });
}

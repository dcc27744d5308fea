import { AppError } from '@affection/core';
import { eraseChild } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { fieldProblem } from '../contacts/field-problem.ts';
import { addRoute } from '../define-route.ts';
import { refusals } from '../route-refusals.ts';
import { toErasureDto } from './record-dto.ts';
import { EraseChildSchema, ErasureSchema } from './record-schemas.ts';

export const route = createRoute({
  method: 'post',
  path: '/api/children/{id}/erase',
  tags: ['records'],
  summary: "Erase a child's personal data for good (admin); the body repeats the child's id",
  request: {
    params: idParam('chd'),
    body: { required: true, content: { 'application/json': { schema: EraseChildSchema } } },
  },
  'x-refusals': refusals('records', 'erase-confirm'),
  responses: {
    200: { description: 'Erased', content: { 'application/json': { schema: ErasureSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

/**
 * `POST /api/children/{id}/erase` (admin). What goes and what stays is described on `eraseChild`
 * and in docs/records-api.md. It cannot be undone, so the admin types the child's id in `confirm`.
 */
export function registerEraseChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { confirm } = c.req.valid('json');
    if (confirm.trim() !== id) {
      throw new AppError('validation-failed', "Type the child's id in confirm to erase the child.", {
        userMessageKey: 'error.records.erase-confirm',
        details: {
          reason: 'erase-confirm',
          target: 'json',
          fields: [fieldProblem('confirm', 'validation.erase_confirm')],
        },
      });
    }
    const { database, now } = c.get('services');
    const erasure = await eraseChild(database.db, staff.homeId, id, now());
    if (!erasure) throw new AppError('not-found', 'No such child in your Home.');
    await audit(c, 'child.erase', 'child', id, {
      householdId: erasure.householdId,
      householdErased: erasure.householdErased,
      deletedContactIds: erasure.deletedContactIds,
      blankedContactIds: erasure.blankedContactIds,
      cancelledBookingIds: erasure.cancelledBookingIds,
    });
    return c.json(toErasureDto(erasure), 200);
  });
}

import { AppError } from '@affection/core';
import { exportChildRecord } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idParam } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toChildRecordExport } from './record-dto.ts';
import { ChildRecordExportSchema } from './record-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children/{id}/export',
  tags: ['records'],
  summary: "Download a child's whole record as JSON, for a request from the family (admin, audited)",
  request: { params: idParam('chd') },
  responses: {
    200: {
      description: 'The record, as an attachment',
      headers: {
        'Content-Disposition': { schema: { type: 'string', example: 'attachment; filename="chd_….json"' } },
      },
      content: { 'application/json': { schema: ChildRecordExportSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `GET /api/children/{id}/export` (admin): the record with whole numbers; an erased child is 404. */
export function registerExportChild(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { id } = c.req.valid('param');
    const { database, now } = c.get('services');
    const record = await exportChildRecord(database.db, staff.homeId, id);
    if (!record) throw new AppError('not-found', 'No such child in your Home.');
    const at = now();
    await audit(c, 'child.export', 'child', id);
    const day = at.toISOString().slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="${id}-${day}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.json(toChildRecordExport(record, at), 200);
  });
}

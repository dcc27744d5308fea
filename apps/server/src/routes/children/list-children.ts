import { listChildren } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildSchema, toChildDto } from './child-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children',
  tags: ['children'],
  summary: "List the Home's children, with search and paging",
  request: {
    query: PagingQuerySchema.extend({
      search: z.string().trim().max(40).optional().openapi({ example: '小明' }),
      householdId: idOf('hsh').optional(),
      includeArchived: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of children',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(ChildSchema),
            total: z.number().int(),
            limit: z.number(),
            offset: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/children` (teacher). */
export function registerListChildren(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const page = await listChildren(c.get('services').database.db, staff.homeId, {
      search: query.search,
      householdId: query.householdId,
      includeArchived: query.includeArchived === 'true',
      limit: query.limit,
      offset: query.offset,
    });
    return c.json(
      { items: page.items.map(toChildDto), total: page.total, limit: query.limit, offset: query.offset },
      200,
    );
  });
}

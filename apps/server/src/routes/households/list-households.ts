import { listHouseholds } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHouseholdDto } from './household-dto.ts';
import { HouseholdSchema } from './household-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/households',
  tags: ['households'],
  summary: "List the Home's households by name, with search and paging",
  request: {
    query: PagingQuerySchema.extend({
      search: z.string().trim().max(40).optional().openapi({ example: '王' }),
      includeArchived: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of households',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(HouseholdSchema),
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

/** `GET /api/households` (teacher). */
export function registerListHouseholds(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const page = await listHouseholds(c.get('services').database.db, staff.homeId, {
      search: query.search,
      includeArchived: query.includeArchived === 'true',
      limit: query.limit,
      offset: query.offset,
    });
    return c.json(
      { items: page.items.map(toHouseholdDto), total: page.total, limit: query.limit, offset: query.offset },
      200,
    );
  });
}

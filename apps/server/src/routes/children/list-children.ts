import { listChildOverviews } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses, idOf, PagingQuerySchema } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { ChildOverviewSchema, toChildOverviewDto } from './child-overview-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/children',
  tags: ['children'],
  summary: "List the Home's children with their household, teachers and calls; search, filters and paging",
  description:
    '`search` matches a child’s family name, given name, both as written (王小明), class, the household’s name or ' +
    'a contact’s name. `includeArchived`: `false` (default) lists children at school, `true` adds the archived ' +
    'ones, `only` lists only those. `pairedStaffId`: the children of one teacher, or `none` for children with no ' +
    'active teacher. `noContactDays`: only children without a completed call for that many days (counted as the ' +
    'no-contact alert counts). `sort`: `name` (default) or `wait` (longest without a call first).',
  request: {
    query: PagingQuerySchema.extend({
      search: z.string().trim().max(40).optional().openapi({ example: '小明' }),
      householdId: idOf('hsh').optional(),
      includeArchived: z.enum(['true', 'false', 'only']).optional(),
      pairedStaffId: z
        .union([idOf('stf'), z.literal('none')])
        .optional()
        .openapi({ example: 'none' }),
      noContactDays: z.coerce.number().int().min(1).max(3650).optional().openapi({ example: 14 }),
      sort: z.enum(['name', 'wait']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of children',
      content: {
        'application/json': {
          schema: z.object({
            items: z.array(ChildOverviewSchema),
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

/** `GET /api/children` (teacher): everything computed in one statement on the caller's Home. */
export function registerListChildren(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const query = c.req.valid('query');
    const { database, now } = c.get('services');
    const page = await listChildOverviews(database.db, staff.homeId, {
      now: now(),
      search: query.search,
      householdId: query.householdId,
      archived: query.includeArchived === 'true' ? 'include' : query.includeArchived === 'only' ? 'only' : 'exclude',
      pairedStaffId: query.pairedStaffId,
      noContactDays: query.noContactDays,
      sort: query.sort ?? 'name',
      limit: query.limit,
      offset: query.offset,
    });
    return c.json(
      { items: page.items.map(toChildOverviewDto), total: page.total, limit: query.limit, offset: query.offset },
      200,
    );
  });
}

import { AppError } from '@affection/core';
import { getHome, listOpeningExceptions, listOpeningRules } from '@affection/db';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toOpeningExceptionDto, toOpeningRuleDto } from './opening-dto.ts';
import { DateRangeQuerySchema, OpeningExceptionSchema, OpeningRuleSchema } from './opening-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/opening',
  tags: ['opening'],
  summary: "The Home's weekly opening rules and dated exceptions, in the Home's zone",
  request: { query: DateRangeQuerySchema },
  responses: {
    200: {
      description: 'Opening hours',
      content: {
        'application/json': {
          schema: z.object({
            timeZone: z.string().openapi({ example: 'Asia/Shanghai' }),
            rules: z.array(OpeningRuleSchema),
            exceptions: z.array(OpeningExceptionSchema),
          }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `GET /api/opening` (teacher); `from`/`to` limit the exceptions listed. */
export function registerGetOpening(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const range = c.req.valid('query');
    const db = c.get('services').database.db;
    const [home, rules, exceptions] = await Promise.all([
      getHome(db, staff.homeId),
      listOpeningRules(db, staff.homeId),
      listOpeningExceptions(db, staff.homeId, range),
    ]);
    if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
    return c.json(
      {
        timeZone: home.timeZone,
        rules: rules.map(toOpeningRuleDto),
        exceptions: exceptions.map(toOpeningExceptionDto),
      },
      200,
    );
  });
}

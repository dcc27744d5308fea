import { AppError } from '@affection/core';
import { getHome } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHomeDto } from './home-dto.ts';
import { HomeSchema } from './home-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/home',
  tags: ['home'],
  summary: "The caller's Home and its booking settings",
  responses: {
    200: { description: 'The Home', content: { 'application/json': { schema: HomeSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/home` (teacher). */
export function registerGetHome(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    const home = await getHome(c.get('services').database.db, staff.homeId);
    if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
    return c.json(toHomeDto(home), 200);
  });
}

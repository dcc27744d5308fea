import { AppError } from '@affection/core';
import { updateHome } from '@affection/db';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { toHomeDto } from './home-dto.ts';
import { HomeSchema, UpdateHomeSchema } from './home-schemas.ts';

export const route = createRoute({
  method: 'patch',
  path: '/api/home',
  tags: ['home'],
  summary: "Change the Home's name, time zone or booking settings",
  request: { body: { required: true, content: { 'application/json': { schema: UpdateHomeSchema } } } },
  responses: {
    200: { description: 'Updated', content: { 'application/json': { schema: HomeSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

/** `PATCH /api/home` (admin). */
export function registerUpdateHome(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const patch = c.req.valid('json');
    const home = await updateHome(c.get('services').database.db, staff.homeId, patch);
    if (!home) throw new AppError('not-found', 'Your Home no longer exists.');
    await audit(c, 'home.update', 'home', home.id, { fields: Object.keys(patch) });
    return c.json(toHomeDto(home), 200);
  });
}

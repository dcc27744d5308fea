import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';
import { checkHealth, HealthSchema } from './get-healthz.ts';

export const route = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['system'],
  summary: 'Readiness: the database, Redis and LiveKit answer (the checks of /healthz)',
  responses: {
    200: {
      description: 'Every configured dependency answers: send traffic here',
      content: { 'application/json': { schema: HealthSchema } },
    },
    503: {
      description: 'At least one dependency does not answer (named in `failing`): send traffic elsewhere',
      content: { 'application/json': { schema: HealthSchema } },
    },
  },
});

/** `GET /readyz`: {@link checkHealth}'s answer — 200, or 503 naming the failing checks. */
export function registerGetReadyz(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'public', route, async (c) => {
    const health = await checkHealth(c.get('services'));
    if (health.status === 'ok') return c.json(health, 200);
    c.get('log').warn({ failing: health.failing }, 'not ready');
    return c.json(health, 503);
  });
}

import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { addRoute } from '../define-route.ts';

/** Body of `GET /livez`. */
export const LivenessSchema = z.object({ status: z.literal('ok') }).openapi('Liveness');

export const route = createRoute({
  method: 'get',
  path: '/livez',
  tags: ['system'],
  summary: 'Liveness: the process answers (no dependency is checked)',
  responses: {
    200: { description: 'The process answers', content: { 'application/json': { schema: LivenessSchema } } },
  },
});

/**
 * `GET /livez`: 200 whenever the process can answer, whatever the database, Redis or LiveKit do — a supervisor
 * restarts the process only when this fails, never because a dependency is away (that is `/readyz`).
 */
export function registerGetLivez(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'public', route, (c) => c.json({ status: 'ok' as const }, 200));
}

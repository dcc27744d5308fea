import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { loadPairingBoard } from './load-pairing-board.ts';
import { PairingBoardSchema } from './pairing-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/pairings',
  tags: ['pairings'],
  summary: 'Each teacher with their paired children, the children with no teacher, and warnings',
  responses: {
    200: { description: 'The pairing board', content: { 'application/json': { schema: PairingBoardSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/pairings` (teacher). */
export function registerListPairings(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'teacher', route, async (c, staff) => {
    return c.json(await loadPairingBoard(c.get('services').database.db, staff.homeId), 200);
  });
}

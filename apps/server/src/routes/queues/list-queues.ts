import { queueCountsOf } from '@affection/jobs';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { loadQueueActionsGrant } from '../../web/queue-actions-grant.ts';
import { QUEUE_ACTIONS_PATH, QUEUE_BOARD_PATH, queueViewsOf } from '../../web/queue-board.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { QueuesOverviewSchema } from './queues-schemas.ts';

export const route = createRoute({
  method: 'get',
  path: '/api/queues',
  tags: ['queues'],
  summary: "The workers' queues with their jobs per state, where the job board is, and the session's grant to act",
  responses: {
    200: { description: 'The queues', content: { 'application/json': { schema: QueuesOverviewSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `GET /api/queues` (admin). The queues are the installation's: every Home's jobs are in them (ids only). */
export function registerListQueues(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', route, async (c, staff) => {
    const { redis, now } = c.get('services');
    const [queues, grant] = await Promise.all([
      queueCountsOf(queueViewsOf(redis)),
      loadQueueActionsGrant(redis, staff.sessionId, now()),
    ]);
    return c.json(
      {
        queues,
        boardPath: `${QUEUE_BOARD_PATH}/`,
        actionsPath: `${QUEUE_ACTIONS_PATH}/`,
        actionsUntil: grant?.toISOString() ?? null,
      },
      200,
    );
  });
}

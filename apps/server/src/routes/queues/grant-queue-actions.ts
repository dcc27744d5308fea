import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { audit } from '../../audit.ts';
import type { AppEnv } from '../../services.ts';
import { endQueueActions, grantQueueActions } from '../../web/queue-actions-grant.ts';
import { errorResponses } from '../common-schemas.ts';
import { addRoute } from '../define-route.ts';
import { QueueActionsGrantSchema } from './queues-schemas.ts';

const ConfirmSchema = z
  .object({ confirm: z.literal(true).openapi({ description: 'The admin ticked "I understand"' }) })
  .strict()
  .openapi('ConfirmQueueActions');

export const grantRoute = createRoute({
  method: 'post',
  path: '/api/queues/actions-grant',
  tags: ['queues'],
  summary: 'After the admin confirms: this session may retry, remove and promote jobs on the board for 10 minutes',
  request: { body: { required: true, content: { 'application/json': { schema: ConfirmSchema } } } },
  responses: {
    200: { description: 'Granted', content: { 'application/json': { schema: QueueActionsGrantSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

export const endRoute = createRoute({
  method: 'delete',
  path: '/api/queues/actions-grant',
  tags: ['queues'],
  summary: 'The board is read-only again for this session',
  responses: {
    200: { description: 'Ended', content: { 'application/json': { schema: QueueActionsGrantSchema } } },
    ...errorResponses(401, 403),
  },
});

/** `POST` and `DELETE /api/queues/actions-grant` (admin), both audited (`queues.actions-grant`, `queues.actions-end`). */
export function registerQueueActionsGrant(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'admin', grantRoute, async (c, staff) => {
    const { redis, now } = c.get('services');
    const until = await grantQueueActions(redis, staff.sessionId, now());
    await audit(c, 'queues.actions-grant', 'staff', staff.staffId);
    return c.json({ actionsUntil: until.toISOString() }, 200);
  });
  addRoute(app, 'admin', endRoute, async (c, staff) => {
    await endQueueActions(c.get('services').redis, staff.sessionId);
    await audit(c, 'queues.actions-end', 'staff', staff.staffId);
    return c.json({ actionsUntil: null }, 200);
  });
}

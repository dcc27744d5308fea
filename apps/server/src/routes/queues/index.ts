import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerQueueActionsGrant } from './grant-queue-actions.ts';
import { registerListQueues } from './list-queues.ts';

/** The workers' queues for the Home's admin: counts, and the grant that lets the job board act. */
export function registerQueuesRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListQueues(app);
  registerQueueActionsGrant(app);
}

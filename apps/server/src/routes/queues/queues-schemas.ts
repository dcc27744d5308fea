import { QUEUE_NAMES, type QueueName } from '@affection/jobs';
import { z } from '@hono/zod-openapi';

const QUEUE_NAME_VALUES = Object.values(QUEUE_NAMES) as [QueueName, ...QueueName[]];

/** One queue's counts per state. */
export const QueueCountsSchema = z
  .object({
    name: z.enum(QUEUE_NAME_VALUES).openapi({ example: 'sms', description: 'One of the queues the workers consume' }),
    waiting: z.number().int(),
    active: z.number().int(),
    failed: z.number().int(),
    delayed: z.number().int(),
    completed: z.number().int(),
  })
  .openapi('QueueCounts');

/** Until when the admin's session may act on the job board (null: read-only). */
export const QueueActionsGrantSchema = z
  .object({
    actionsUntil: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: 'The end of the grant given by confirming; null when the board is read-only' }),
  })
  .openapi('QueueActionsGrant');

/** `GET /api/queues`. */
export const QueuesOverviewSchema = z
  .object({
    queues: z.array(QueueCountsSchema),
    boardPath: z.string().openapi({ example: '/console/queues/' }),
    actionsPath: z.string().openapi({ example: '/console/queue-actions/' }),
    actionsUntil: QueueActionsGrantSchema.shape.actionsUntil,
  })
  .openapi('QueuesOverview');

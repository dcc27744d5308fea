/** Every queue the workers consume. A job's queue name never changes once it has shipped. */
export const QUEUE_NAMES = {
  /** Housekeeping: the workers' heartbeat. */
  system: 'system',
  /** Outgoing SMS: one job per stored message, its id as job id. */
  sms: 'sms',
} as const;

/** One of {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

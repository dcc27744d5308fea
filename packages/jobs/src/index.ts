export { HEARTBEAT_JOB, HEARTBEAT_KEY, listHeartbeats, recordHeartbeat, scheduleHeartbeat } from './heartbeat.ts';
export type { JobLogger } from './job-logger.ts';
export { QUEUE_NAMES, type QueueName } from './queue-names.ts';
export { createProducerConnection, createWorkerConnection } from './redis-connection.ts';
export { type RunningWorkers, type StartWorkersOptions, startWorkers } from './start-workers.ts';

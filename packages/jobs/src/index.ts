export { HEARTBEAT_JOB, HEARTBEAT_KEY, listHeartbeats, recordHeartbeat, scheduleHeartbeat } from './heartbeat.ts';
export type { JobLogger } from './job-logger.ts';
export {
  BOOKING_STEP_KINDS,
  type BookingStepContext,
  type BookingStepHandler,
  type BookingStepHandlers,
  type BookingStepKind,
  type BookingStepOutcome,
  type BookingStepServices,
  type ClaimedBookingStep,
  isBookingStepKind,
} from './lifecycle/step-handler.ts';
export { QUEUE_NAMES, type QueueName } from './queue-names.ts';
export {
  RECONCILE_SMS_JOB,
  type ReconcileSmsOptions,
  type ReconcileSmsReport,
  reconcileSms,
  scheduleSmsReconciler,
} from './reconcile.ts';
export { createProducerConnection, createWorkerConnection } from './redis-connection.ts';
export {
  type CancelSmsResult,
  cancelSms,
  enqueueSms,
  enqueueSmsBatch,
  SEND_SMS_JOB,
  type SendSmsJob,
  SendSmsJobSchema,
  SMS_BACKOFF_TYPE,
  SMS_JOB_ATTEMPTS,
  type SmsToEnqueue,
  smsJobOptions,
} from './send-sms.ts';
export { type SendSmsMessageOptions, type SendSmsOutcome, sendSmsMessage } from './send-sms-message.ts';
export { type CreateSmsWorkerOptions, createSmsWorker, type SmsWorkerOptions } from './sms-worker.ts';
export { type RunningWorkers, type StartWorkersOptions, startWorkers } from './start-workers.ts';

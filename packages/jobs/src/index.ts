export { closeRoomStep } from './call-end/close-room-step.ts';
export { COMPLETED_OVERLAP_SECONDS, decideCallOutcome } from './call-end/decide-call-outcome.ts';
export { decideOutcomeStep, missedCallSmsKey } from './call-end/decide-outcome-step.ts';
export {
  CALL_EVENT_JOB,
  type CallEventJob,
  CallEventJobSchema,
  type CallEventOutcome,
  callEventJobOptions,
  enqueueCallEvent,
  processCallEvent,
  RECONCILE_CALL_EVENTS_JOB,
  type ReconcileCallEventsOptions,
  reconcileCallEvents,
  scheduleCallEventsReconciler,
} from './call-log/call-events.ts';
export { type CallEventsProducer, createCallEventsProducer } from './call-log/call-events-producer.ts';
export { type CreateCallEventsWorkerOptions, createCallEventsWorker } from './call-log/call-events-worker.ts';
export {
  CALL_LOG_SUMMARY_SOURCE,
  type CallFacts,
  type CallLogParticipant,
  type CallPeriod,
  type FoldedCallLog,
  foldCallLog,
  type KioskReportFact,
  ROOM_API_SOURCE,
  type RoomCloseFact,
  type RoomEventFact,
} from './call-log/fold-call-log.ts';
export { type UpdateCallLogOptions, type UpdatedCallLog, updateCallLog } from './call-log/update-call-log.ts';
export { HEARTBEAT_JOB, HEARTBEAT_KEY, listHeartbeats, recordHeartbeat, scheduleHeartbeat } from './heartbeat.ts';
export {
  type CreateHomeChangeFeedOptions,
  createHomeChangeFeed,
  type HomeChange,
  type HomeChangeFeed,
  type HomeChangeListener,
  homeChangesChannel,
  publishHomeChange,
} from './home-changes.ts';
export type { JobLogger } from './job-logger.ts';
export {
  type BookingLifecycleProducer,
  type BookingLifecycleProducerOptions,
  type BookingLifecycleProducerSettings,
  createBookingLifecycleProducer,
} from './lifecycle/booking-lifecycle-producer.ts';
export {
  type DecidedPlan,
  decideBookingPlan,
  type EarlierStep,
  type LifecycleSmsName,
  lifecycleKey,
  PLANNED_BOOKING_STATUSES,
  type PlanContact,
  type PlanInput,
  type PlannedSms,
  type PlannedStep,
  SMS_STEP_TEMPLATES,
} from './lifecycle/decide-booking-plan.ts';
export { createJobBookingEvents, type JobBookingEventsOptions } from './lifecycle/job-booking-events.ts';
export {
  DEFAULT_LIFECYCLE_TIMINGS,
  type LifecycleTimings,
  lifecycleTimings,
} from './lifecycle/lifecycle-timings.ts';
export {
  type CreateLifecycleWorkerOptions,
  createLifecycleWorker,
  type LifecycleWorker,
  type LifecycleWorkerOptions,
} from './lifecycle/lifecycle-worker.ts';
export {
  type BookingPlan,
  enqueueBookingPlan,
  enqueueSteps,
  type LifecycleQueues,
  type PlanAndEnqueueOptions,
  type PlanBookingOptions,
  planAndEnqueueBooking,
  planBooking,
  RUN_STEP_JOB,
  type RunStepJob,
  RunStepJobSchema,
  STEP_JOB_ATTEMPTS,
  type StepToEnqueue,
  stepJobOptions,
} from './lifecycle/plan-booking.ts';
export {
  QUICK_STEP_KINDS,
  type RunBookingStepOptions,
  type RunBookingStepOutcome,
  runBookingStep,
  STEP_PREDECESSORS,
  stepLeaseMs,
} from './lifecycle/run-step.ts';
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
export { BOOKING_STEP_HANDLERS } from './lifecycle/step-handlers.ts';
export { QUEUE_NAMES, type QueueName } from './queue-names.ts';
export { openQueueViews, type QueueCounts, queueCountsOf } from './queue-views.ts';
export {
  RECONCILE_SMS_JOB,
  type ReconcileSmsOptions,
  type ReconcileSmsReport,
  reconcileSms,
  scheduleSmsReconciler,
} from './reconcile.ts';
export {
  RECONCILE_LIFECYCLE_JOB,
  type ReconcileLifecycleOptions,
  type ReconcileLifecycleReport,
  reconcileLifecycle,
  scheduleLifecycleReconciler,
} from './reconcile-lifecycle.ts';
export {
  createProducerConnection,
  createWorkerConnection,
  type RedisConnectionOptions,
  watchRedisErrors,
} from './redis-connection.ts';
export { type DutyDigestReport, dutyDigestKey, sendDutyDigest } from './repeatable/duty-digest.ts';
export type { HomeJobServices } from './repeatable/home-job-services.ts';
export {
  DEFAULT_HOME_JOB_PATTERNS,
  HOME_JOB_NAMES,
  type HomeJob,
  type HomeJobName,
  HomeJobSchema,
  homeSchedulerId,
  type ScheduleHomeJobsOptions,
  SYNC_HOME_SCHEDULES_JOB,
  scheduleHomeJobs,
  scheduleHomeSchedulesSync,
} from './repeatable/home-schedules.ts';
export {
  type CreateHomeSchedulesWorkerOptions,
  createHomeSchedulesWorker,
  runHomeJob,
  syncHomeSchedules,
} from './repeatable/home-schedules-worker.ts';
export { type NoContactAlertReport, noContactAlertKey, sendNoContactAlerts } from './repeatable/no-contact-alert.ts';
export {
  proposalSmsKey,
  proposeWeek,
  WEEKLY_SCHEDULE_OPTIONS,
  type WeeklyProposalsReport,
} from './repeatable/weekly-proposals.ts';
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
export { createSmsDispatchBatch, type SmsDispatchBatch, type SmsDispatchBatchOptions } from './send-sms-batch.ts';
export { type SendSmsMessageOptions, type SendSmsOutcome, sendSmsMessage } from './send-sms-message.ts';
export {
  decideWithinCaps,
  SMS_CAP_CLOCK_MARGIN_MS,
  SMS_CAP_HISTORY_MS,
  SMS_MERGE_WINDOW_MS,
  type SmsSendCapsFor,
} from './sms-caps-claim.ts';
export {
  SMS_NO_APPROVED_TEMPLATE,
  type SmsTemplateFieldsContext,
  smsTemplateFieldsOf,
} from './sms-template-fields.ts';
export { type CreateSmsWorkerOptions, createSmsWorker, type SmsWorkerOptions } from './sms-worker.ts';
export { type RunningWorkers, type StartWorkersOptions, startWorkers } from './start-workers.ts';

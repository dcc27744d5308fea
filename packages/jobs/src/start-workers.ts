import type { CallRooms, PhoneBridge, SmsCountryPolicies, SmsSender, VoiceNotifier } from '@affection/core';
import { type Db, errorForLog } from '@affection/db';
import { Queue, Worker } from 'bullmq';
import { scheduleCallEventsReconciler } from './call-log/call-events.ts';
import { createCallEventsWorker } from './call-log/call-events-worker.ts';
import { HEARTBEAT_JOB, recordHeartbeat, scheduleHeartbeat } from './heartbeat.ts';
import type { JobLogger } from './job-logger.ts';
import { createLifecycleWorker, type LifecycleWorkerOptions } from './lifecycle/lifecycle-worker.ts';
import { QUEUE_NAMES } from './queue-names.ts';
import { RECONCILE_SMS_JOB, type ReconcileSmsReport, reconcileSms, scheduleSmsReconciler } from './reconcile.ts';
import { type ReconcileLifecycleReport, scheduleLifecycleReconciler } from './reconcile-lifecycle.ts';
import { createWorkerConnection } from './redis-connection.ts';
import { type ScheduleHomeJobsOptions, scheduleHomeSchedulesSync } from './repeatable/home-schedules.ts';
import { createHomeSchedulesWorker, syncHomeSchedules } from './repeatable/home-schedules-worker.ts';
import type { SendSmsMessageOptions } from './send-sms-message.ts';
import { createSmsWorker, type SmsWorkerOptions } from './sms-worker.ts';

/** Options for {@link startWorkers}. */
export interface StartWorkersOptions {
  redisUrl: string;
  /** Names this process in heartbeats and logs. */
  workerId: string;
  logger: JobLogger;
  /** The system of record: outgoing messages are read and claimed here. */
  db: Db;
  /** Sends SMS: Twilio, or the database outbox when Twilio is not configured. */
  smsSender: SmsSender;
  /** Which provider `smsSender` is; recorded on each sent message. */
  /** The provider recorded on each sent message, or the provider of each number (a routing sender). */
  smsProvider: SendSmsMessageOptions['provider'];
  /** Tuning of the `sms` queue (rate limit, retries, leases, reconciler). Defaults in {@link SmsWorkerOptions}. */
  sms?: SmsWorkerOptions;
  /** Video rooms for the lifecycle's room steps; `null` or absent when LiveKit is not configured. */
  callRooms?: CallRooms | null;
  /** Rings parents' phones; `null` or absent when SIP is not configured (ringing is recorded `unavailable`). */
  phoneBridge?: PhoneBridge | null;
  /** Places voice notification calls (the outbox or Alibaba Cloud); `null` or absent: none are placed. */
  voiceNotifier?: VoiceNotifier | null;
  /** Tuning of the `lifecycle` queue (booking steps). Defaults in {@link LifecycleWorkerOptions}. */
  lifecycle?: LifecycleWorkerOptions;
  /** Tuning of the `call-events` queue (LiveKit events folded into call logs). */
  callEvents?: {
    /** Jobs run in parallel by this process. Default 5. */
    concurrency?: number;
    /** Period of the reconciler of events whose job was lost. Default 60 000 ms. */
    reconcileEveryMs?: number;
    /** An event stored this long ago and unprocessed is re-enqueued. Default 30 000 ms. */
    reconcileSettleMs?: number;
  };
  /** The Homes' repeatable jobs (duty digest, no-contact alert, weekly proposals). */
  homeSchedules?: ScheduleHomeJobsOptions & {
    /** How often every Home's schedulers are upserted again (new Homes, changed zones). Default 600 000 ms. */
    syncEveryMs?: number;
  };
  /** Heartbeat period. Default 30 s. */
  heartbeatEveryMs?: number;
  /** Clock for recorded times. Default the system clock. */
  now?: () => Date;
  /** Which countries' numbers may get links and reply prompts (lifecycle and Home jobs). Default the core's. */
  smsPolicies?: SmsCountryPolicies;
}

/** Running workers. */
export interface RunningWorkers {
  /** The `sms` queue these workers consume (for enqueueing from the same process). */
  smsQueue: Queue;
  /** The `lifecycle` queue of booking steps. */
  lifecycleQueue: Queue;
  /** Runs the lifecycle reconciler now (it also runs every minute, at start, and when Redis comes back). */
  reconcileLifecycleNow(): Promise<ReconcileLifecycleReport>;
  /** Runs the reconciler now (it also runs every minute, at start, and when Redis comes back). */
  reconcileNow(): Promise<ReconcileSmsReport>;
  /** The `call-events` queue: `enqueueCallEvent` on it hands a stored LiveKit event to the call-log fold. */
  callEventsQueue: Queue;
  /** The `home-schedules` queue of the Homes' repeatable jobs. */
  homeSchedulesQueue: Queue;
  /**
   * Lets active jobs finish, then closes every worker and connection — within `timeoutMs` (default 5 000 ms): after
   * that, or at once when Redis is away, the workers are closed without waiting and the connections dropped.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Starts a BullMQ worker for every queue and the repeatable jobs (heartbeat, SMS reconciler), and
 * runs the reconciler once. When Redis comes back after an outage (possibly empty), the repeatable
 * jobs are scheduled again and the reconciler runs at once, so no message waits for its job. Used by
 * `apps/worker` (its own process) and by `npm start` (in the server's process).
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const now = options.now ?? (() => new Date());
  const log = options.logger;
  const sms = options.sms ?? {};
  // Every connection gets an error listener (ioredis would print a plain-text stack without one); outages are logged
  // once, through the queue connection's 'reconnecting' below.
  const connect = () => createWorkerConnection(options.redisUrl);
  const connection = connect();
  const queueConnection = connect();
  const systemQueue = new Queue(QUEUE_NAMES.system, { connection: queueConnection });
  const smsQueue = new Queue(QUEUE_NAMES.sms, { connection: queueConnection });
  const lifecycleQueue = new Queue(QUEUE_NAMES.lifecycle, { connection: queueConnection });
  const callEventsQueue = new Queue(QUEUE_NAMES.callEvents, { connection: queueConnection });
  const homeSchedulesQueue = new Queue(QUEUE_NAMES.homeSchedules, { connection: queueConnection });
  callEventsQueue.on('error', () => {});
  homeSchedulesQueue.on('error', () => {});
  // Connection errors are reported through the connection's own events.
  lifecycleQueue.on('error', () => {});

  let reconciling: Promise<ReconcileSmsReport> | undefined;
  const reconcileNow = () => {
    reconciling ??= reconcileSms({
      db: options.db,
      smsQueue,
      redis: queueConnection,
      now,
      ...(sms.reconcileHorizonMs !== undefined ? { horizonMs: sms.reconcileHorizonMs } : {}),
      ...(sms.backoffMaxMs !== undefined ? { retryDelayMs: sms.backoffMaxMs } : {}),
      ...(sms.sendLeaseMs !== undefined ? { sendLeaseMs: sms.sendLeaseMs } : {}),
      ...(sms.ambiguousSettleMs !== undefined ? { ambiguousSettleMs: sms.ambiguousSettleMs } : {}),
    }).finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  };
  const schedule = async () => {
    await scheduleHeartbeat(systemQueue, { everyMs: options.heartbeatEveryMs });
    await scheduleSmsReconciler(systemQueue, { everyMs: sms.reconcileEveryMs });
    await scheduleLifecycleReconciler(lifecycleQueue, { everyMs: options.lifecycle?.reconcileEveryMs });
    await scheduleCallEventsReconciler(callEventsQueue, { everyMs: options.callEvents?.reconcileEveryMs });
    await scheduleHomeSchedulesSync(homeSchedulesQueue, { everyMs: options.homeSchedules?.syncEveryMs });
    await syncHomeSchedules({ db: options.db }, homeSchedulesQueue, options.homeSchedules);
  };

  // Redis may come back empty (a restart without its data): schedule again and reconcile at once.
  let hasBeenReady = false;
  let isDown = false;
  queueConnection.on('ready', () => {
    isDown = false;
    if (!hasBeenReady) {
      hasBeenReady = true;
      return;
    }
    log.info({ workerId: options.workerId }, 'redis is back: scheduling and reconciling');
    schedule()
      .then(reconcileNow)
      .then(
        (report) => log.info({ ...report }, 'sms reconciled'),
        (error: Error) => log.warn({ err: errorForLog(error) }, 'reconcile after redis came back failed'),
      );
    reconcileLifecycleNow().then(
      (report) => log.info({ ...report }, 'lifecycle reconciled'),
      (error: Error) => log.warn({ err: errorForLog(error) }, 'lifecycle reconcile after redis came back failed'),
    );
  });
  queueConnection.on('reconnecting', () => {
    if (isDown) return;
    isDown = true;
    log.warn({ workerId: options.workerId }, 'redis connection lost: reconnecting');
  });
  // Connection errors are reported once through 'reconnecting'; ioredis and BullMQ retry on their own.
  const quiet = () => {};
  systemQueue.on('error', quiet);
  smsQueue.on('error', quiet);
  if (queueConnection.status === 'ready') hasBeenReady = true;

  await schedule();

  const systemWorkerConnection = connect();
  const smsWorkerConnection = connect();
  const systemWorker = new Worker(
    QUEUE_NAMES.system,
    async (job) => {
      if (job.name === HEARTBEAT_JOB) await recordHeartbeat(connection, options.workerId, now());
      if (job.name === RECONCILE_SMS_JOB) {
        const report = await reconcileNow();
        if (report.stuck > 0) log.info({ ...report }, 'sms reconciled');
        return report;
      }
    },
    { connection: systemWorkerConnection, concurrency: 1 },
  );
  const smsWorker = createSmsWorker({
    connection: smsWorkerConnection,
    db: options.db,
    sender: options.smsSender,
    provider: options.smsProvider,
    logger: log,
    now,
    options: sms,
  });
  const lifecycleWorkerConnection = connect();
  const lifecycle = createLifecycleWorker({
    connection: lifecycleWorkerConnection,
    db: options.db,
    lifecycleQueue,
    smsQueue,
    callRooms: options.callRooms ?? null,
    phoneBridge: options.phoneBridge ?? null,
    voiceNotifier: options.voiceNotifier ?? null,
    logger: log,
    now,
    options: { ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}), ...options.lifecycle },
  });
  const callEventsWorkerConnection = connect();
  const callEventsWorker = createCallEventsWorker({
    connection: callEventsWorkerConnection,
    db: options.db,
    queue: callEventsQueue,
    logger: log,
    now,
    ...(options.callEvents?.concurrency !== undefined ? { concurrency: options.callEvents.concurrency } : {}),
    ...(options.callEvents?.reconcileSettleMs !== undefined
      ? { reconcileSettleMs: options.callEvents.reconcileSettleMs }
      : {}),
  });
  const homeSchedulesWorkerConnection = connect();
  const homeSchedulesWorker = createHomeSchedulesWorker({
    connection: homeSchedulesWorkerConnection,
    db: options.db,
    queue: homeSchedulesQueue,
    smsQueue,
    logger: log,
    now,
    ...(options.smsPolicies ? { smsPolicies: options.smsPolicies } : {}),
    ...(options.homeSchedules ? { schedules: options.homeSchedules } : {}),
  });
  // Declared before the handler above runs (only after start-up), which reconciles when Redis comes back.
  function reconcileLifecycleNow(): Promise<ReconcileLifecycleReport> {
    return lifecycle.reconcileNow();
  }
  for (const worker of [systemWorker, smsWorker, lifecycle.worker, callEventsWorker, homeSchedulesWorker]) {
    worker.on('failed', (job, error) => {
      // A retry of a send is expected; the message row says why. Final failures are warnings.
      const isFinal = !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      // Never the error's text: a database driver writes the query's parameters (names, numbers) into it.
      const fields = { queue: worker.name, job: job?.name, jobId: job?.id, err: errorForLog(error) };
      if (isFinal) log.warn(fields, 'job failed');
    });
    worker.on('error', (error) => log.warn({ queue: worker.name, err: errorForLog(error) }, 'worker error'));
  }
  await Promise.all([systemWorker.waitUntilReady(), smsWorker.waitUntilReady(), lifecycle.worker.waitUntilReady()]);
  await Promise.all([callEventsWorker.waitUntilReady(), homeSchedulesWorker.waitUntilReady()]);
  const first = await reconcileNow();
  const firstLifecycle = await reconcileLifecycleNow();
  log.info({ ...firstLifecycle }, 'lifecycle reconciled');
  log.info({ workerId: options.workerId, queues: Object.values(QUEUE_NAMES), ...first }, 'workers started');

  return {
    smsQueue,
    lifecycleQueue,
    reconcileNow,
    reconcileLifecycleNow,
    callEventsQueue,
    homeSchedulesQueue,
    async close(timeoutMs = 5_000) {
      const workers = [systemWorker, smsWorker, lifecycle.worker, callEventsWorker, homeSchedulesWorker];
      const queues = [callEventsQueue, homeSchedulesQueue, smsQueue, lifecycleQueue, systemQueue];
      const clients = [
        queueConnection,
        connection,
        systemWorkerConnection,
        smsWorkerConnection,
        lifecycleWorkerConnection,
        callEventsWorkerConnection,
        homeSchedulesWorkerConnection,
      ];
      const graceful = async () => {
        await Promise.all(workers.map((worker) => worker.close()));
        await reconciling?.catch(() => undefined);
        await Promise.all(queues.map((queue) => queue.close()));
        for (const client of clients) {
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }
      };
      // With Redis away a graceful close would wait for it: let active jobs end and drop the connections instead.
      let timer: NodeJS.Timeout | undefined;
      const inTime = await (queueConnection.status === 'ready'
        ? Promise.race([
            graceful().then(() => true),
            new Promise<false>((resolve) => {
              timer = setTimeout(() => resolve(false), timeoutMs);
            }),
          ])
        : Promise.resolve(false));
      clearTimeout(timer);
      if (!inTime) {
        log.warn({ workerId: options.workerId, timeoutMs }, 'workers did not close in time: dropping connections');
        for (const worker of workers) void worker.close(true).catch(() => undefined);
        for (const client of clients) client.disconnect();
      }
      log.info({ workerId: options.workerId }, 'workers stopped');
    },
  };
}

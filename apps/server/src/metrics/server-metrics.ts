import { countOperations, type OperationsCounts } from '@affection/db';
import { queueCountsOf } from '@affection/jobs';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppServices } from '../services.ts';
import { queueViewsOf } from '../web/queue-board.ts';
import { createCachedSource, withTimeout } from './cached-source.ts';
import { createJobDurationReader } from './job-durations.ts';

/** Options for {@link createServerMetrics}. */
export interface ServerMetricsOptions {
  /** How long the database's counts are reused between scrapes, in ms. Default 15 000. */
  databaseCacheMs?: number;
  /** The longest one source (the database, Redis) may take during a scrape, in ms. Default 2 000. */
  sourceTimeoutMs?: number;
}

/** The server's Prometheus registry and what feeds it. */
export interface ServerMetrics {
  /** Content type of {@link ServerMetrics.render}'s text. */
  contentType: string;
  /** Records one answered request: its route pattern (never the raw path), method and status. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /** Reads the sources (Redis now, the database through its cache) and renders the text exposition format. */
  render(): Promise<string>;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** The label for SMS kept for no Home (an inbound reply from a number no Home knows). */
const NO_HOME = 'none';

/**
 * Builds the metrics of one app (its own registry, so two apps in one test process do not mix): request durations
 * by route pattern, the queues' depths and job durations (read from BullMQ's event streams at scrape time), SMS by
 * status, call logs by outcome and open rooms per Home (one grouped query, cached), whether each source answered,
 * and Node's process metrics. Labels hold route patterns, queue names, states and Home ids — never a person.
 */
export function createServerMetrics(services: AppServices, options: ServerMetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const timeoutMs = options.sourceTimeoutMs ?? 2_000;
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'affection_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const jobDuration = new Histogram({
    name: 'affection_job_duration_seconds',
    help: "Time from a worker taking a job to the job's end, by queue and outcome (from BullMQ's event streams)",
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const sourceUp = new Gauge({
    name: 'affection_metrics_source_up',
    help: 'Whether a source answered during this scrape (1) or not (0); its gauges are left out when not',
    labelNames: ['source'] as const,
    registers,
  });
  const queueJobs = new Gauge({
    name: 'affection_queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, failed)',
    labelNames: ['queue', 'state'] as const,
    registers,
  });
  const smsMessages = new Gauge({
    name: 'affection_sms_messages',
    help: 'SMS messages kept in the database, by Home and status (all time)',
    labelNames: ['home', 'status'] as const,
    registers,
  });
  const calls = new Gauge({
    name: 'affection_calls',
    help: 'Call logs by Home and outcome (all time; open = outcome not known yet)',
    labelNames: ['home', 'outcome'] as const,
    registers,
  });
  const activeRooms = new Gauge({
    name: 'affection_active_rooms',
    help: "Bookings in progress (their call's room is open) by Home",
    labelNames: ['home'] as const,
    registers,
  });

  const queues = queueViewsOf(services.redis);
  // A Redis outage is reported by the connection's own listener; a queue handle without one would print each error.
  for (const queue of queues) if (queue.listenerCount('error') === 0) queue.on('error', () => {});
  const jobRuns = createJobDurationReader(services.redis, {
    queues: queues.map((queue) => ({ name: queue.name, eventsKey: queue.toKey('events') })),
  });
  const databaseCounts = createCachedSource(() => countOperations(services.database.db), {
    ttlMs: options.databaseCacheMs ?? 15_000,
    timeoutMs,
  });

  async function readRedis(): Promise<void> {
    const [counts, runs] = await withTimeout(Promise.all([queueCountsOf(queues), jobRuns.readNewRuns()]), timeoutMs);
    for (const queue of counts)
      for (const state of QUEUE_STATES) queueJobs.set({ queue: queue.name, state }, queue[state]);
    for (const run of runs) jobDuration.observe({ queue: run.queue, outcome: run.outcome }, run.seconds);
  }

  function setDatabaseCounts(counts: OperationsCounts): void {
    for (const row of counts.smsByStatus)
      smsMessages.set({ home: row.homeId ?? NO_HOME, status: row.state }, row.count);
    for (const row of counts.callsByOutcome) calls.set({ home: row.homeId ?? NO_HOME, outcome: row.state }, row.count);
    for (const row of counts.activeRooms) activeRooms.set({ home: row.homeId ?? NO_HOME }, row.count);
  }

  async function renderOnce(): Promise<string> {
    // Gauges are set afresh each scrape: a state that is gone, or a source that did not answer, leaves no old value.
    for (const gauge of [queueJobs, smsMessages, calls, activeRooms]) gauge.reset();
    const [redis, database] = await Promise.allSettled([readRedis(), databaseCounts.read()]);
    sourceUp.set({ source: 'redis' }, redis.status === 'fulfilled' ? 1 : 0);
    sourceUp.set({ source: 'database' }, database.status === 'fulfilled' ? 1 : 0);
    if (database.status === 'fulfilled') setDatabaseCounts(database.value);
    const failing = [redis.status === 'rejected' ? 'redis' : null, database.status === 'rejected' ? 'database' : null];
    if (failing.some(Boolean))
      services.logger.warn({ failing: failing.filter(Boolean) }, 'metrics source not answering');
    return registry.metrics();
  }

  // One scrape at a time: two at once would read the same new job events twice.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    contentType: registry.contentType,
    observeRequest({ method, route, status, seconds }) {
      requestDuration.observe(
        { method: METHODS.has(method) ? method : 'other', route, status_class: `${Math.floor(status / 100)}xx` },
        seconds,
      );
    },
    render() {
      const next = previous.then(renderOnce, renderOnce);
      previous = next.catch(() => {});
      return next;
    },
  };
}

import type { Logger } from 'pino';

/** One step of an orderly stop. */
export interface ShutdownStep {
  /** Names the step in the log. */
  name: string;
  /** The step is given up after this long (the next step runs anyway). */
  timeoutMs: number;
  run(): Promise<void>;
  /** Runs when the step timed out or failed, e.g. to drop connections that would not close. */
  force?(): void;
}

/** How a stop went. */
export interface ShutdownReport {
  /** Every step finished in time without error. */
  clean: boolean;
  /** Milliseconds from the first step to the end of the last. */
  durationMs: number;
  /** Steps that failed or ran out of time. */
  failed: string[];
}

/**
 * Runs `promise` for at most `ms`: resolves `'done'`, `'timed-out'` or `'failed'`. Never rejects, so a close that
 * hangs (a Redis connection waiting for a server that died) cannot hold the next step.
 */
export async function settleWithin(promise: Promise<unknown>, ms: number): Promise<'done' | 'timed-out' | 'failed'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
  });
  try {
    return await Promise.race([promise.then(() => 'done' as const), timedOut]);
  } catch {
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the steps in order, each within its timeout, logging each one; never throws. */
export async function runShutdown(steps: readonly ShutdownStep[], logger: Logger): Promise<ShutdownReport> {
  const started = performance.now();
  const failed: string[] = [];
  for (const step of steps) {
    const stepStarted = performance.now();
    const outcome = await settleWithin(
      Promise.resolve().then(() => step.run()),
      step.timeoutMs,
    );
    const ms = Math.round(performance.now() - stepStarted);
    if (outcome === 'done') {
      logger.info({ step: step.name, ms }, 'shutdown step done');
      continue;
    }
    failed.push(step.name);
    logger.warn({ step: step.name, ms, outcome }, 'shutdown step did not finish: going on');
    try {
      step.force?.();
    } catch {
      // Forcing is best effort; the process exits next.
    }
  }
  return { clean: failed.length === 0, durationMs: Math.round(performance.now() - started), failed };
}

/** Options for {@link exitOnSignals}. */
export interface ExitOnSignalsOptions {
  /**
   * The process exits after this long even if a step still hangs (every step has its own timeout; this is the
   * last resort). Default 30 000 ms.
   */
  hardDeadlineMs?: number;
}

/**
 * The one signal handler: on the first SIGTERM or SIGINT, runs the shutdown steps in order, each within its
 * timeout, then exits (0 when every step finished, 1 otherwise). A second signal exits at once (1); the hard deadline
 * ends the process if the steps themselves hang.
 */
export function exitOnSignals(
  steps: () => readonly ShutdownStep[],
  logger: Logger,
  options: ExitOnSignalsOptions = {},
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the person does not want to wait for the orderly stop.
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'signal received: stopping');
    const deadline = setTimeout(() => {
      logger.error({ afterMs: options.hardDeadlineMs ?? 30_000 }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, options.hardDeadlineMs ?? 30_000);
    deadline.unref();
    runShutdown(steps(), logger).then((report) => {
      logger.info({ ...report }, 'stopped');
      process.exit(report.clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

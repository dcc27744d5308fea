import type { Logger } from 'pino';
import type { ProcessExit } from './child-process.ts';

/** A child service that can be watched and started again (the launchers' Redis and LiveKit). */
export interface RestartableService {
  readonly pid: number | undefined;
  waitForExit(): Promise<ProcessExit>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for {@link superviseChild}. */
export interface SuperviseChildOptions {
  /** Names the service in the log (`redis`, `livekit`). */
  name: string;
  logger: Logger;
  /** First wait before a restart. Default 100 ms. */
  initialDelayMs?: number;
  /** Longest wait between restarts (the wait doubles after each failed or short-lived run). Default 5 000 ms. */
  maxDelayMs?: number;
  /** A run this long resets the wait to {@link SuperviseChildOptions.initialDelayMs}. Default 30 000 ms. */
  stableAfterMs?: number;
}

/** A supervised service. */
export interface SupervisedService {
  /** Restarts so far. */
  readonly restarts: number;
  /** Stops restarting the service (it keeps running): the first thing a shutdown does, before anything may die. */
  stopSupervising(): void;
  /** Stops supervising, waits for a restart under way, then stops the service. */
  stop(): Promise<void>;
}

/**
 * Watches a child service and starts it again whenever it exits while it should run: after a back-off that starts at
 * 100 ms and doubles (to 5 s) while restarts fail or the service keeps dying young. Each exit, restart and failure
 * is one JSON log line.
 */
export function superviseChild(service: RestartableService, options: SuperviseChildOptions): SupervisedService {
  const initialDelayMs = options.initialDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const stableAfterMs = options.stableAfterMs ?? 30_000;
  const log = options.logger;
  let stopping = false;
  let restarts = 0;
  let delayMs = initialDelayMs;
  let wake: (() => void) | undefined;
  let restarting: Promise<void> = Promise.resolve();

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const watch = async () => {
    while (!stopping) {
      const startedAt = performance.now();
      const exit = await service.waitForExit();
      if (stopping) return;
      if (performance.now() - startedAt >= stableAfterMs) delayMs = initialDelayMs;
      log.warn({ devService: options.name, ...exit, restartInMs: delayMs }, 'dev service exited: restarting');
      for (;;) {
        await pause(delayMs);
        if (stopping) return;
        const attemptStarted = performance.now();
        restarting = service.restart();
        try {
          await restarting;
          restarts += 1;
          log.info(
            {
              devService: options.name,
              pid: service.pid,
              restarts,
              ms: Math.round(performance.now() - attemptStarted),
            },
            'dev service restarted',
          );
          delayMs = Math.min(delayMs * 2, maxDelayMs);
          break;
        } catch (error) {
          delayMs = Math.min(delayMs * 2, maxDelayMs);
          log.error(
            { devService: options.name, reason: (error as Error).message.split('\n')[0], retryInMs: delayMs },
            'dev service did not restart',
          );
        }
      }
    }
  };
  const watching = watch();

  return {
    get restarts() {
      return restarts;
    },
    stopSupervising() {
      stopping = true;
      wake?.();
    },
    async stop() {
      stopping = true;
      wake?.();
      await restarting.catch(() => undefined);
      await service.stop();
      await watching;
    },
  };
}

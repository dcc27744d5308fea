/** A value read from a slow source (the database) and kept for a short while. */
export interface CachedSource<T> {
  /** The kept value when younger than the cache's time, else a fresh read (concurrent callers share one read). */
  read(): Promise<T>;
}

/** Options for {@link createCachedSource}. */
export interface CachedSourceOptions {
  /** How long a value is kept, in milliseconds. */
  ttlMs: number;
  /** The longest a read may take before it fails, in milliseconds. */
  timeoutMs: number;
  /** Monotonic milliseconds; default `performance.now`. */
  nowMs?: () => number;
}

/**
 * Wraps `load` so that at most one read runs at a time and a value is reused for `ttlMs`: a scrape every few
 * seconds, or several Prometheus servers, do not each query the database. A failed or timed-out read is not kept,
 * so the next scrape tries again.
 */
export function createCachedSource<T>(load: () => Promise<T>, options: CachedSourceOptions): CachedSource<T> {
  const nowMs = options.nowMs ?? (() => performance.now());
  let kept: { value: T; at: number } | undefined;
  let reading: Promise<T> | undefined;
  return {
    read() {
      if (kept && nowMs() - kept.at < options.ttlMs) return Promise.resolve(kept.value);
      reading ??= withTimeout(load(), options.timeoutMs)
        .then((value) => {
          kept = { value, at: nowMs() };
          return value;
        })
        .finally(() => {
          reading = undefined;
        });
      return reading;
    },
  };
}

/** `promise`, or a rejection after `ms` milliseconds when it has not settled by then. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

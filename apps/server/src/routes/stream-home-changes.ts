import type { HomeChange } from '@affection/jobs';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../services.ts';

/** How long a browser waits before asking again a server that has no change feed. */
export const UNAVAILABLE_RETRY_MS = 300_000;

/** Changes arriving this close together are sent as one event (a booking change is often several writes). */
export const CHANGE_COALESCE_MS = 100;

/** What {@link streamHomeChanges} sends and how often. */
export interface StreamHomeChangesOptions<T> {
  /** The Home whose change feed is listened to. */
  homeId: string;
  /** Gap between heartbeat comments that keep proxies and browsers from closing an idle stream. */
  heartbeatMs: number;
  /** What a change adds to the next `changed` event, or null for a change this stream does not send. */
  pick: (change: HomeChange) => T | null | Promise<T | null>;
  /** The data of a `changed` event, from the distinct values picked since the last one. */
  data: (picked: T[]) => object;
}

/**
 * Server-sent events of one Home's changes, over the process's one change feed (`services.homeChanges`, which
 * subscribes a Home's channel once however many streams listen): a `ready` event first, then a `changed` event
 * (changes within {@link CHANGE_COALESCE_MS} sent as one) for every change `pick` keeps, and a heartbeat comment
 * every `heartbeatMs`. A server without a change feed sends one `unavailable` event and ends the stream.
 *
 * @example return streamHomeChanges(c, { homeId, heartbeatMs: 15_000, pick: (change) => change.kind,
 *   data: (kinds) => ({ kinds }) });
 */
export function streamHomeChanges<T>(c: Context<AppEnv>, options: StreamHomeChangesOptions<T>): Response {
  const feed = c.get('services').homeChanges;
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  if (!feed) {
    // No change feed in this process: say so once and end; the page polls (and tries again much later).
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: 'unavailable', data: '{}', retry: UNAVAILABLE_RETRY_MS });
    });
  }
  return streamSSE(c, async (stream) => {
    let picked = new Set<T>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let isClosed = false;
    const flush = () => {
      timer = undefined;
      const data = JSON.stringify(options.data([...picked]));
      picked = new Set();
      void stream.writeSSE({ event: 'changed', data }).catch(() => {});
    };
    const unsubscribe = feed.subscribe(options.homeId, (change) => {
      Promise.resolve(options.pick(change))
        .then((value) => {
          if (value === null || isClosed) return;
          picked.add(value);
          timer ??= setTimeout(flush, CHANGE_COALESCE_MS);
        })
        // A change that cannot be judged is not sent: the page's own refresh catches up.
        .catch(() => {});
    });
    const heartbeat = setInterval(() => {
      void stream.write(': heartbeat\n\n').catch(() => {});
    }, options.heartbeatMs);
    let finish: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      finish = resolve;
    });
    stream.onAbort(() => finish());
    try {
      await stream.writeSSE({ event: 'ready', data: '{}', retry: 5_000 });
      await closed;
    } finally {
      isClosed = true;
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      unsubscribe();
    }
  });
}

import type { ApiResponse } from '@affection/server/contract';
import type { ApiError } from '@affection/ui';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { connection } from '../../shell/connection.ts';
import type { ConsoleApi } from '../../shell/console-api.ts';

/** `GET /api/board/today`. */
export type Board = ApiResponse<'GET /api/board/today'>;

/** One call on the board. */
export type BoardCall = Board['lanes'][number]['calls'][number];

/** Polling period when the event stream is not available. */
export const POLL_MS = 20_000;

/** Refresh period while the stream is live (time moves states on: waiting, ended). */
export const LIVE_REFRESH_MS = 30_000;

/** How long the page polls before trying the stream of a server that said it has none. */
export const UNAVAILABLE_WAIT_MS = 300_000;

/**
 * A `changed` event fetches the board again at a random moment within this many milliseconds; the events heard
 * until then make the same fetch. Every open board of a Home hears each change at the same instant: spread out, their
 * fetches reach the server one after another instead of all at once (the embedded database answers one at a time).
 */
export const RELOAD_SPREAD_MS = 750;

/** How the board keeps up to date. */
export type BoardMode = 'live' | 'polling';

/**
 * The board, kept up to date: fetched once, then again after `changed` server-sent events of `GET /api/board/stream`
 * (at a random moment within {@link RELOAD_SPREAD_MS} of the first, one fetch for the events heard until then); when
 * the stream fails it falls back to polling every 20 s and tries the stream again.
 */
export function useLiveBoard(api: ConsoleApi) {
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [mode, setMode] = useState<BoardMode>('polling');
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const load = useCallback((): Promise<void> => {
    // One request at a time; a change during it makes one more.
    if (inFlight.current) {
      again.current = true;
      return inFlight.current;
    }
    const run = api.call('GET /api/board/today').then(
      (answer) => {
        setBoard(answer);
        setError(null);
        setUpdatedAt(new Date());
      },
      (caught: ApiError) => setError(caught),
    );
    inFlight.current = run.finally(() => {
      inFlight.current = null;
      if (again.current) {
        again.current = false;
        void load();
      }
    });
    return inFlight.current;
  }, [api]);

  useEffect(() => {
    void load();
    let source: EventSource | null = null;
    let reload: ReturnType<typeof setTimeout> | undefined;
    let isLive = false;
    // A server without a change feed is asked again only after this.
    let openAfter = 0;
    const refetchSoon = () => {
      // Already planned: that fetch starts after this event, so it shows this change too.
      if (reload !== undefined) return;
      reload = setTimeout(() => {
        reload = undefined;
        void load();
      }, Math.random() * RELOAD_SPREAD_MS);
    };
    const open = () => {
      if (typeof EventSource === 'undefined') return;
      source = new EventSource('/api/board/stream', { withCredentials: true });
      source.addEventListener('ready', () => {
        if (!isLive) void load();
        isLive = true;
        setMode('live');
      });
      source.addEventListener('changed', refetchSoon);
      source.addEventListener('unavailable', () => {
        source?.close();
        source = null;
        isLive = false;
        openAfter = Date.now() + UNAVAILABLE_WAIT_MS;
        setMode('polling');
      });
      source.onerror = () => {
        isLive = false;
        setMode('polling');
        // A refused stream (signed out, no feed) is closed for good: try it again on the next poll.
        if (source?.readyState === EventSource.CLOSED) source = null;
      };
    };
    open();
    const timer = setInterval(() => {
      void load();
      if (!source && Date.now() >= openAfter) open();
    }, POLL_MS);
    const liveTimer = setInterval(() => {
      if (isLive) void load();
    }, LIVE_REFRESH_MS);
    const stopRetry = connection.onRetry(() => void load());
    return () => {
      clearTimeout(reload);
      clearInterval(timer);
      clearInterval(liveTimer);
      stopRetry();
      source?.close();
    };
  }, [load]);

  return { board, error, mode, updatedAt, reload: load };
}

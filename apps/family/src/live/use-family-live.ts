import { useEffect, useRef } from 'preact/hooks';
import { familyAuthorization } from '../family-api.ts';
import { deviceStore } from '../storage.ts';
import { type ArrivalChime, createArrivalChime } from './arrival-chime.ts';
import { readFamilyStream } from './family-stream.ts';

/** The first wait before connecting again after the stream closed; doubled each time, up to a minute. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 60_000;

/** A server without live updates is asked again this much later (the page's own slow refresh goes on). */
const UNAVAILABLE_RETRY_MS = 300_000;

/** What {@link useFamilyLive} needs. */
export interface FamilyLiveOptions {
  /** Listen only while the page shows the parent's calls. */
  enabled: boolean;
  /**
   * The call the page shows now (its booking id), null for none, undefined while the page shows something else: a
   * new call that appears is greeted with a chime.
   */
  shownCallId: string | null | undefined;
  /** Fetch the page's data again (a call was made or changed). */
  onChange: () => void;
}

/**
 * Live updates of the parents' page: while it shows the parent's calls and is in front, it listens to
 * `GET /api/family/stream` (one quiet connection; a heartbeat a minute) and fetches its data again as soon as a call
 * of the household is made or changed. In the background (another app, screen off) the connection is closed, and
 * the page fetches once when it is back. A new call that appears plays a short chime (after the parent's first tap).
 */
export function useFamilyLive({ enabled, shownCallId, onChange }: FamilyLiveOptions): void {
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const chime = useRef<ArrivalChime | null>(null);
  const lastCallId = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    chime.current = createArrivalChime();
    return () => chime.current?.dispose();
  }, []);

  useEffect(() => {
    if (shownCallId === undefined) return;
    const previous = lastCallId.current;
    lastCallId.current = shownCallId;
    // The first call shown when the page opens is not news; one that appears or replaces it later is.
    if (previous !== undefined && shownCallId !== null && shownCallId !== previous) chime.current?.play();
  }, [shownCallId]);

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let controller: AbortController | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let retryMs = RETRY_FIRST_MS;

    const connect = async () => {
      clearTimeout(retryTimer);
      const token = deviceStore.token();
      if (stopped || !token || document.visibilityState === 'hidden' || controller) return;
      const current = new AbortController();
      controller = current;
      const ended = await readFamilyStream(
        familyAuthorization(token),
        (event) => {
          if (event.event === 'ready') retryMs = RETRY_FIRST_MS;
          if (event.event === 'changed') onChangeRef.current();
        },
        current.signal,
      );
      if (controller === current) controller = null;
      if (stopped || current.signal.aborted) return;
      if (ended === 'signed-out') {
        onChangeRef.current();
        return;
      }
      const wait = ended === 'unavailable' ? UNAVAILABLE_RETRY_MS : retryMs;
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      retryTimer = setTimeout(() => void connect(), wait);
    };

    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        controller?.abort();
        controller = null;
        clearTimeout(retryTimer);
      } else {
        // Back in front: what changed meanwhile is fetched once, then the stream tells the rest.
        onChangeRef.current();
        void connect();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    void connect();
    return () => {
      stopped = true;
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(retryTimer);
      controller?.abort();
    };
  }, [enabled]);
}

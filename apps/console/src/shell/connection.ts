type Listener = (isLost: boolean) => void;

/** How long the banner waits before trying again by itself. */
export const AUTO_RETRY_MS = 10_000;

/**
 * Whether the server answers: any request that got no answer or a 5xx marks it lost; the banner
 * shows, and "retry" (or the timer) runs every screen's registered reload.
 */
function createConnection() {
  let isLost = false;
  const listeners = new Set<Listener>();
  const reloads = new Set<() => void>();
  const set = (next: boolean) => {
    if (next === isLost) return;
    isLost = next;
    for (const listener of listeners) listener(isLost);
  };
  return {
    /** Whether the last answer was missing or a server failure. */
    isLost: () => isLost,
    markLost: () => set(true),
    markBack: () => set(false),
    /** Calls `listener` on every change; returns the unsubscribe. */
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Registers what to run again on retry (a screen's load); returns the unregister. */
    onRetry(reload: () => void): () => void {
      reloads.add(reload);
      return () => reloads.delete(reload);
    },
    /** Runs every registered reload. */
    retry(): void {
      for (const reload of reloads) reload();
    },
  };
}

/** The page's one connection watcher. */
export const connection = createConnection();

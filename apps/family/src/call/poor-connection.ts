/** Connection qualities as LiveKit reports them. */
export type Quality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

/** How long the connection must stay poor before the call turns to audio only: 8 seconds. */
export const POOR_FOR_MS = 8_000;

/**
 * Decides when a video call should fall back to audio only: when the phone's own connection has
 * been poor (or lost) for {@link POOR_FOR_MS} without a good report in between. A brief dip does
 * not count. Feed it every quality report and ask it on a timer.
 *
 * @example
 * const watch = new PoorConnectionWatch();
 * watch.report('poor', 0); watch.shouldFallBack(8_000) // true
 */
export class PoorConnectionWatch {
  readonly #forMs: number;
  #poorSince: number | null = null;

  constructor(forMs = POOR_FOR_MS) {
    this.#forMs = forMs;
  }

  /** Records a quality report received at `atMs`. */
  report(quality: Quality, atMs: number): void {
    const isPoor = quality === 'poor' || quality === 'lost';
    if (!isPoor) this.#poorSince = null;
    else this.#poorSince ??= atMs;
  }

  /** Milliseconds until {@link shouldFallBack} turns true if nothing changes; `null` while the connection is fine. */
  msUntilFallBack(atMs: number): number | null {
    return this.#poorSince === null ? null : Math.max(0, this.#poorSince + this.#forMs - atMs);
  }

  /** Whether the connection has been poor long enough. */
  shouldFallBack(atMs: number): boolean {
    return this.msUntilFallBack(atMs) === 0;
  }
}

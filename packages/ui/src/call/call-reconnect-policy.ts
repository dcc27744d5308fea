/** What livekit-client tells a reconnect policy before each try (the fields of its `ReconnectContext` used here). */
export interface ReconnectAttempt {
  /** Tries that failed so far. */
  readonly retryCount: number;
  /** Milliseconds since the connection was lost. */
  readonly elapsedMs: number;
}

/** The first tries after a loss, quick for a blip: at once, then 0.3, 1.2 and 2.7 s later. */
export const CALL_RECONNECT_FIRST_DELAYS_MS: readonly number[] = [0, 300, 1_200, 2_700];
/** After the first tries, one every 3 s: a restarted LiveKit is found at most 3 s after it answers again. */
export const CALL_RECONNECT_EVERY_MS = 3_000;
/** Giving up after 5 minutes away: the call's join token (10 minutes) may not outlive much more. */
export const CALL_RECONNECT_GIVE_UP_MS = 5 * 60_000;

/**
 * The reconnect policy of the kiosk's and the parents' calls (livekit-client's `reconnectPolicy` room option).
 * livekit-client's default gives up after 10 tries, about 40 s, and then waits up to 7 s between tries; a LiveKit
 * server restarted by its operator, or one that crashed and was started again by systemd, can take longer than that.
 * This one keeps trying every 3 s for 5 minutes, so both sides get back into the call by themselves soon after
 * LiveKit answers again. `null` means give up (the room then disconnects).
 *
 * @example new Room({ reconnectPolicy: callReconnectPolicy })
 */
export const callReconnectPolicy = {
  nextRetryDelayInMs(attempt: ReconnectAttempt): number | null {
    if (attempt.elapsedMs >= CALL_RECONNECT_GIVE_UP_MS) return null;
    return CALL_RECONNECT_FIRST_DELAYS_MS[attempt.retryCount] ?? CALL_RECONNECT_EVERY_MS;
  },
};

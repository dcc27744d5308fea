/**
 * When each step of a booking falls due, relative to the call's start or end. Production uses
 * {@link DEFAULT_LIFECYCLE_TIMINGS}; tests compress them to run a whole call in seconds.
 */
export interface LifecycleTimings {
  /** `reminder-day-before`: this long before the start, planned only when the call is further away. Default 24 h. */
  dayBeforeMs: number;
  /** `reminder-15m`: this long before the start, planned only when the call is further away. Default 15 min. */
  reminderMs: number;
  /** `open-room`: this long before the start (the kiosk shows the call from then). Default 5 min. */
  openRoomMs: number;
  /** `fallback-ring`: this long after the start, for a video contact who may be rung. Default 2 min. */
  fallbackRingMs: number;
  /**
   * `voice-notify`: this long after the parents' wait (when `fallback-ring` rings), so that a ring into the room
   * goes first; planned only when the call lasts past it. Default 30 s.
   */
  voiceNotifyAfterWaitMs: number;
  /** `warn-end`: this long before the end. Default 1 min. */
  warnEndMs: number;
  /** `close-room`: this long after the end (grace). Default 30 s. */
  closeGraceMs: number;
  /** `decide-outcome`: this long after the end. Default 60 s. */
  decideOutcomeMs: number;
}

/** The timings the product runs on. */
export const DEFAULT_LIFECYCLE_TIMINGS: Readonly<LifecycleTimings> = {
  dayBeforeMs: 24 * 60 * 60_000,
  reminderMs: 15 * 60_000,
  openRoomMs: 5 * 60_000,
  fallbackRingMs: 2 * 60_000,
  voiceNotifyAfterWaitMs: 30_000,
  warnEndMs: 60_000,
  closeGraceMs: 30_000,
  decideOutcomeMs: 60_000,
};

/** {@link DEFAULT_LIFECYCLE_TIMINGS} with some replaced. */
export function lifecycleTimings(overrides: Partial<LifecycleTimings> = {}): LifecycleTimings {
  return { ...DEFAULT_LIFECYCLE_TIMINGS, ...overrides };
}

/** Every queue the workers consume. A job's queue name never changes once it has shipped. */
export const QUEUE_NAMES = {
  /** Housekeeping: the workers' heartbeat. */
  system: 'system',
  /** Outgoing SMS: one job per stored message, its id as job id. */
  sms: 'sms',
  /** Booking lifecycle steps (reminders, room, ringing, end): one job per step row, `<booking>-<kind>-v<version>`. */
  lifecycle: 'lifecycle',
  /** LiveKit events to fold into call logs: one job per stored event, its row id as job id. */
  callEvents: 'call-events',
  /** Per-Home repeatable jobs: the duty digest, the no-contact alert and the weekly fair scheduler. */
  homeSchedules: 'home-schedules',
} as const;

/** One of {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

import type { BookingStepHandler } from './step-handler.ts';

/**
 * `warn-end`: a minute before the end. The `CallRooms` port sends no data messages into a room (tokens are issued
 * without `canPublishData`, and the port has no such call), so the step records that the kiosk's and the family
 * page's own countdowns, which know the end time, give the warning.
 */
export const warnEndStep: BookingStepHandler = async () => ({
  kind: 'done',
  outcome: 'kiosk-countdown',
  note: 'the port sends no room messages; the screens count down to the end themselves',
});

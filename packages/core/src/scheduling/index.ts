export { availabilityIntervals } from './availability-intervals.ts';
export {
  type BookingCheck,
  type BookingRejection,
  type BookingRequest,
  type CheckBookingOptions,
  checkBooking,
} from './check-booking.ts';
export { type FairScheduleOptions, fairSchedule, type SchedulePriority } from './fair-scheduler.ts';
export { fcfsSchedule } from './fcfs-scheduler.ts';
export { type FreeSlotsForOptions, freeSlotsFor } from './free-slots.ts';
export { openingIntervals } from './opening-intervals.ts';
export { countQuotaUsage, quotaUsed } from './quota.ts';
export type { ProposedBooking, ScheduleResult } from './schedule-result.ts';
export { bookingWindow, generateSlots, type ListBookableSlotsOptions, listBookableSlots } from './slot-engine.ts';
export {
  type BookingStatus,
  BookingStatusSchema,
  ClockTimeSchema,
  type FreeSlot,
  type HomeCalendar,
  type HomeSettings,
  HomeSettingsSchema,
  IsoDateSchema,
  type QuotaUsage,
  type SchedulingAvailabilityWindow,
  SchedulingAvailabilityWindowSchema,
  type SchedulingBooking,
  SchedulingBookingSchema,
  type SchedulingContact,
  SchedulingContactSchema,
  type SchedulingHousehold,
  SchedulingHouseholdSchema,
  type SchedulingKiosk,
  SchedulingKioskSchema,
  type SchedulingOpeningException,
  SchedulingOpeningExceptionSchema,
  type SchedulingOpeningRule,
  SchedulingOpeningRuleSchema,
  type TimeRange,
  TimeZoneSchema,
  WeekdaySchema,
} from './types.ts';
export {
  type BuildWeekProblemOptions,
  buildWeekProblem,
  type CandidateHousehold,
  type CandidateOption,
  type WeekProblem,
} from './week-problem.ts';

export { auditEvents, familyDevices, familyEnrolments, oneTimeCodes } from './access.ts';
export {
  bookingChildren,
  bookingContacts,
  bookingSteps,
  bookings,
  callLogChildren,
  callLogs,
  diaryEntries,
} from './calls.ts';
export { DEFAULT_DISTRICT_ID, districts, homes, kiosks, openingExceptions, openingRules } from './homes.ts';
export { smsMessages, smsReports, webhookEvents } from './messaging.ts';
export {
  availabilityWindows,
  children,
  contacts,
  dutyOverrides,
  dutyPatterns,
  households,
  pairings,
  staff,
  staffSessions,
} from './people.ts';
export { childPhotos } from './photos.ts';
export { voiceNotifications } from './voice-notifications.ts';
export { contactVoicePins } from './voice-pins.ts';

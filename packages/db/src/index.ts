import * as schema from './schema/index.ts';

export { type Database, type DatabaseOptions, type Db, openDatabase } from './database.ts';
export {
  CHANGES_CHANNEL,
  createDatabaseChangeFeed,
  type DatabaseChange,
  type DatabaseChangeEvent,
  type DatabaseChangeFeed,
  type DatabaseChangeFeedOptions,
  LISTENER_NAME,
  parseDatabaseChange,
} from './database-changes.ts';
export {
  databaseErrorCode,
  databaseErrorConstraint,
  isDatabaseUnavailable,
  isExclusionViolation,
  isUniqueViolation,
  PG_ERROR,
} from './database-errors.ts';
export { errorForLog, type LoggableError, type LoggableErrorPart } from './error-for-log.ts';
export { createId, ID_PREFIXES, type IdKind, isIdOf } from './ids.ts';
export {
  MIGRATION_LOCK_KEY,
  type MigrateDatabaseOptions,
  type MigrationResult,
  migrateDatabase,
  migrationsFolder,
  pendingMigrations,
} from './migrate-database.ts';
export {
  listLastCompletedCalls,
  listNoContactChildren,
  type NoContactChild,
  type PairedTeacher,
} from './repositories/alert-repository.ts';
export {
  type AuditLogCursor,
  type AuditLogEntry,
  type AuditLogPage,
  type ListAuditLogOptions,
  listAuditForSubject,
  listAuditLogOfHome,
  type NewAuditEvent,
  recordAudit,
} from './repositories/audit-repository.ts';
export {
  type AvailabilityWindowInput,
  listAvailabilityWindows,
  listAvailabilityWindowsOfHome,
  replaceAvailabilityWindows,
} from './repositories/availability-repository.ts';
export {
  type BoardBookingRecord,
  type BoardCallLog,
  type BoardChild,
  type BoardContact,
  type BoardDayRecord,
  type BoardKiosk,
  type BoardStep,
  type LoadBoardDayOptions,
  loadBoardDay,
} from './repositories/board-repository.ts';
export {
  addSecondBookingContact,
  type BookingMove,
  type BookingRecord,
  type BookingSource,
  type BookingWriteRejection,
  type BookingWriteResult,
  bookingRejectionOf,
  cancelBooking,
  cancelSeries,
  createBooking,
  createSeriesId,
  getBooking,
  type ListBookingsOptions,
  listBookings,
  listBookingsOfHousehold,
  listBookingsOfSeries,
  type NewBooking,
  type QuotaGuard,
  rescheduleBooking,
  type SecondContactWriteResult,
  setBookingStatus,
} from './repositories/booking-repository.ts';
export {
  type BookingPlanContext,
  type BookingSmsRecord,
  type BookingStepRecord,
  type BookingStepState,
  cancelPendingBookingSteps,
  cancelPendingSmsOfBooking,
  claimBookingStep,
  finishBookingStep,
  getBookingStep,
  insertBookingSteps,
  type ListBookingsToPlanOptions,
  type ListStepsToRunOptions,
  listBookingSteps,
  listBookingsToPlan,
  listSmsOfBooking,
  listStepsToRun,
  loadBookingPlanContext,
  type NewBookingStep,
  releaseBookingStep,
} from './repositories/booking-step-repository.ts';
export {
  type BookingSnapshot,
  type BookingSnapshotRanges,
  type CalendarKiosk,
  type HomeCalendarRecord,
  isStaffOnDuty,
  type ListSchedulingBookingsOptions,
  listSchedulingBookings,
  loadBookingSnapshot,
  loadBookingsById,
  loadHomeCalendar,
  loadReadModelHousehold,
  loadSchedulingHome,
  loadSchedulingHousehold,
  type ReadModelHousehold,
  type SchedulingHome,
  type SchedulingHouseholdRecord,
} from './repositories/calendar-repository.ts';
export {
  type CallLogContent,
  type CallLogState,
  type CallOutcome,
  type ChildCallLogEntry,
  endCallBooking,
  findCallBooking,
  getCallLog,
  getWebhookEventSubject,
  listCallLogsOfChild,
  listUnprocessedRoomEvents,
  type RebuildCallLogTarget,
  rebuildCallLog,
  type StoredRoomEvent,
  setCallOutcome,
} from './repositories/call-log-repository.ts';
export {
  type ChildErasure,
  ERASED_PHONE_PREFIX,
  ERASED_SMS_PHONE,
  ERASED_TEXT,
  eraseChild,
  isErasedContactPhone,
} from './repositories/child-erasure-repository.ts';
export {
  type ChildRecord,
  type ExportedBooking,
  type ExportedCallLog,
  type ExportedPairing,
  type ExportedSms,
  exportChildRecord,
} from './repositories/child-export-repository.ts';
export {
  type ChildOverview,
  type ListChildOverviewsOptions,
  listChildOverviews,
  type OverviewNextCall,
  type OverviewTeacher,
} from './repositories/child-overview-repository.ts';
export {
  type ChildPhoto,
  type ChildPhotoType,
  type GetChildPhotoOptions,
  getChildPhoto,
  type NewChildPhoto,
  photoVersionOf,
  removeChildPhoto,
  saveChildPhoto,
} from './repositories/child-photo-repository.ts';
export {
  archiveChild,
  type ChildInput,
  createChild,
  getChild,
  type ListChildrenOptions,
  listChildren,
  updateChild,
} from './repositories/child-repository.ts';
export {
  type ContactInput,
  createContact,
  findContactsByPhone,
  getContact,
  listContactsOfHome,
  listContactsOfHousehold,
  updateContact,
} from './repositories/contact-repository.ts';
export {
  claimVoicePinAttempt,
  clearVoicePin,
  getVoicePinStatus,
  type NewVoicePin,
  recordVoicePinSuccess,
  setVoicePin,
  type VoicePinClaim,
  type VoicePinLimits,
  type VoicePinStatus,
} from './repositories/contact-voice-pin-repository.ts';
export {
  createDiaryEntry,
  type DiaryEntryInput,
  type DiaryEntryRecord,
  deleteDiaryEntry,
  getDiaryEntry,
  listDiaryEntries,
  updateDiaryEntry,
} from './repositories/diary-repository.ts';
export {
  type AccountRejection,
  addDistrictAdmin,
  createDistrict,
  createDistrictHome,
  type DistrictAdminResult,
  type DistrictHomeResult,
  getDistrict,
  getDistrictAdmin,
  getDistrictHome,
  listDistrictHomes,
  listDistricts,
  type NewAccount,
} from './repositories/district-repository.ts';
export {
  type CreateDutyOverrideResult,
  createDutyOverride,
  type DutyOnDate,
  type DutyOverride,
  type DutyOverrideKind,
  type DutyPatternEntry,
  type DutyStaff,
  deleteDutyOverride,
  listDutyOverrides,
  listDutyPattern,
  listOnDuty,
  replaceDutyPattern,
} from './repositories/duty-repository.ts';
export {
  createOneTimeCode,
  createOneTimeCodeId,
  listOneTimeCodesSince,
  type OneTimeCodePurpose,
  type OneTimeCodeRecord,
  recordOneTimeCodeFailure,
  retireOneTimeCodes,
  useOneTimeCode,
} from './repositories/family-code-repository.ts';
export {
  type FamilyDeviceSummary,
  getFamilyDeviceOfHome,
  listFamilyDevicesOfContact,
  revokeFamilyDevice,
  touchFamilyDevice,
} from './repositories/family-device-admin-repository.ts';
export {
  createFamilyDevice,
  type FamilyDeviceRecord,
  findFamilyDevice,
} from './repositories/family-device-repository.ts';
export {
  createFamilyEnrolment,
  type FamilyEnrolmentMatch,
  type FamilyEnrolmentRecord,
  findFamilyEnrolmentByToken,
  getFamilyEnrolment,
  listFamilyEnrolmentsOfContact,
  revokeFamilyEnrolment,
} from './repositories/family-enrolment-repository.ts';
export { createHome, getHome, type HomeSettings, listHomes, updateHome } from './repositories/home-repository.ts';
export { getHomeSmsSignName, setHomeSmsSignName } from './repositories/home-sms-sign-repository.ts';
export {
  createHousehold,
  getHousehold,
  listHouseholds,
  updateHousehold,
} from './repositories/household-repository.ts';
export {
  type ChildMoodInput,
  getChildMood,
  KIOSK_REPORT_SOURCE,
  type KioskPresenceEntry,
  type KioskPresenceReport,
  type KioskPresenceResult,
  listKioskPresence,
  MAX_KIOSK_REPORTS_PER_CALL,
  recordKioskPresence,
  saveChildMood,
} from './repositories/kiosk-call-log-repository.ts';
export {
  getKioskCall,
  type KioskCallCaller,
  type KioskCallChild,
  type KioskCallRecord,
  type ListKioskCallsOptions,
  listKioskCalls,
} from './repositories/kiosk-call-repository.ts';
export { recordKioskContact } from './repositories/kiosk-contact-repository.ts';
export {
  createKiosk,
  enrolKiosk,
  findKioskByDeviceToken,
  getKiosk,
  listKiosks,
  renewKioskEnrolment,
  revokeKiosk,
  setKioskEnabled,
} from './repositories/kiosk-repository.ts';
export { type KioskSettingsPatch, updateKioskSettings } from './repositories/kiosk-settings-repository.ts';
export {
  createOpeningException,
  deleteOpeningException,
  listOpeningExceptions,
  listOpeningRules,
  type OpeningDateRange,
  type OpeningExceptionInput,
  type OpeningRuleInput,
  replaceOpeningRules,
} from './repositories/opening-repository.ts';
export {
  countOperations,
  type HomeStateCount,
  type OperationsCounts,
} from './repositories/operations-count-repository.ts';
export {
  type CreatePairingResult,
  createPairing,
  deletePairing,
  listPairingsOfChild,
  listPairingsOfHome,
  type PairingWithChild,
} from './repositories/pairing-repository.ts';
export {
  type CallBookAfter,
  type CallBookEntry,
  listCallBookEntries,
  listPairingRecords,
  listRosterEntries,
  type PairingRecordEntry,
  type RosterEntry,
} from './repositories/report-ledger-repository.ts';
export type { ReportOutcome, ReportPeriod, ReportScope } from './repositories/report-sql.ts';
export {
  listUnreachedChildren,
  loadReportCounts,
  type ReportCounts,
  type ReportMonth,
  type ReportSummaryCounts,
  type UnreachedChild,
} from './repositories/report-summary-repository.ts';
export {
  type CappedClaim,
  type ClaimSmsWithinCapsOptions,
  claimSmsWithinCaps,
  SMS_CAP_DELAYED,
  SMS_CAP_DROPPED,
  SMS_CAP_MERGED,
  type SmsCapDecision,
  type SmsCapHistoryEntry,
} from './repositories/sms-cap-repository.ts';
export {
  cancelPendingSms,
  claimSmsBatchForSending,
  claimSmsForSending,
  expireSms,
  getSmsForDispatch,
  type ListPendingSmsOptions,
  type ListStuckSendingOptions,
  listPendingSmsDueBy,
  listStuckSendingSms,
  markSmsSendAmbiguous,
  recordSmsSendFailed,
  recordSmsSent,
  recordSmsSentBatch,
  releaseSmsForRetry,
  SMS_AMBIGUOUS_SEND,
  SMS_EXPIRED,
  type SmsSendProblem,
  type SmsSentRecord,
  type SmsToDispatch,
  takeOverSendingSms,
} from './repositories/sms-dispatch-repository.ts';
export {
  applySmsStatusUpdate,
  FINAL_SMS_STATUSES,
  findSmsByDedupeKey,
  findSmsByProviderId,
  getSmsMessage,
  insertOutgoingSms,
  insertOutgoingSmsBatch,
  type ListOutgoingSmsOptions,
  listOutboxBookings,
  listOutgoingSmsOfHome,
  markSmsAccepted,
  markSmsFailed,
  type NewInboundSms,
  type NewOutgoingSms,
  OUTBOX_STAGES,
  type OutboxBookingSummary,
  type OutboxStage,
  outboxStageOf,
  recordInboundSms,
  type SmsMessageRecord,
  type SmsMessageStatus,
  type SmsProviderName,
  type SmsStatusUpdate,
  type SmsStatusUpdateResult,
  type SmsStatusUpdateState,
  type StoredSmsTemplateParams,
  smsStatusesBefore,
} from './repositories/sms-message-repository.ts';
export { type SmsReportToStore, storeSmsReportOnce } from './repositories/sms-report-repository.ts';
export {
  addStaffMember,
  changeStaffMember,
  type StaffChangeRejection,
  type StaffChangeResult,
  type StaffMemberPatch,
} from './repositories/staff-admin-repository.ts';
export {
  createStaff,
  findStaffForLogin,
  getStaff,
  getStaffPasswordHash,
  type LoginAccount,
  listStaff,
  type NewStaff,
  setStaffPassword,
  updateStaff,
} from './repositories/staff-repository.ts';
export {
  createStaffSession,
  findStaffSession,
  revokeAllStaffSessions,
  revokeStaffSession,
  type StaffSessionRecord,
  setSessionCurrentHome,
  touchStaffSession,
} from './repositories/staff-session-repository.ts';
export {
  applyVoiceReport,
  type ClaimVoiceNotificationResult,
  claimVoiceNotification,
  failVoiceNotification,
  getVoiceNotification,
  insertVoiceNotificationOnce,
  listVoiceNotificationsOfBookings,
  markVoiceNotificationPlaced,
  type NewVoiceNotification,
  releaseVoiceNotification,
  type VoiceNotificationRecord,
  type VoiceNotificationStatus,
  type VoiceReportUpdate,
} from './repositories/voice-notification-repository.ts';
export {
  findWebhookEvent,
  listWebhookEvents,
  markWebhookEventProcessed,
  type NewWebhookEvent,
  storeWebhookEventOnce,
  type WebhookEventRecord,
  type WebhookSource,
} from './repositories/webhook-event-repository.ts';
export { DEFAULT_DISTRICT_ID } from './schema/index.ts';
export { DEMO_LOGINS, seedDemoHome } from './seed/demo-home.ts';
export { type SeededHome, type SeedHomeOptions, seedHome } from './seed/seed-home.ts';
export { seededRandom } from './seed/seeded-random.ts';
export { selectRows } from './select-rows.ts';
export { schema };

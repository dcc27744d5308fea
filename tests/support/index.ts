/**
 * The test harness: real services (Redis, PostgreSQL/PGlite, LiveKit, Chromium), the worlds tests run in, fakes of the
 * providers' HTTP APIs and checks shared by the fault tests and the browser journeys. Import it as
 * `@affection/test-support`.
 */

// The launchers of Redis and LiveKit and their process helpers live with the composition root (npm start uses them).
export {
  findLivekitBinary,
  getFreeTcpPort,
  getFreeUdpPort,
  type LivekitServer,
  livekitInstallHint,
  type ProcessExit,
  REDIS_INSTALL_HINT,
  type RedisServer,
  type RunningProcess,
  type SpawnOptions,
  spawnUntilReady,
  startLivekit,
  startRedis,
  stopProcess,
} from '@affection/runtime';
export {
  type ApiWorld,
  createApiWorld,
  FIXTURE_PASSWORD,
  PRINCIPAL_NAMES,
  type PrincipalName,
  type SharedParent,
  type WorldHome,
} from './api-world.ts';
export {
  type CallHistoryOptions,
  generateCallHistory,
  type HistoryCall,
  type HistoryHousehold,
  type HistoryOutcome,
  insertHistoryCalls,
  loadHistoryHouseholds,
} from './call-history.ts';
export {
  buildWebApps,
  type CallWorld,
  type CallWorldOptions,
  type StaffClient,
  signInStaffOverHttp,
  startCallWorld,
  type WebAppName,
} from './call-world.ts';
export { CHROMIUM_ARGS, type ChromiumSession, launchChromium } from './chromium.ts';
export {
  CONSOLE_PC,
  CONSOLE_TABLET,
  DEMO_ADMIN,
  DEMO_TEACHER,
  type StaffLogin,
  signInToConsole,
} from './console-session.ts';
export {
  type BookableHousehold,
  bookableHouseholds,
  type CallParty,
  type ContactSummary,
  enrolKioskPage,
  enrolKioskWithCode,
  enrolmentLinkFor,
  findVideoParties,
  firstChildName,
  type HouseholdDetail,
  type KioskSummary,
  makeHomeForQuickCalls,
  type OnScreen,
  openParentLink,
  shanghaiNextWeek,
  shanghaiNextWeekAt,
  signInParentPage,
} from './demo-calls.ts';
export {
  DISTRICT_CALLERS,
  type DistrictCaller,
  type DistrictWorld,
  makeDistricts,
  signInDistrictCallers,
} from './district-callers.ts';
export { testEnv } from './env.ts';
export {
  type FakeAliyun,
  type FakeAliyunAnswer,
  type FakeAliyunHandler,
  type FakeAliyunOptions,
  type FakeAliyunRequest,
  fakeAliyunRequestId,
  startFakeAliyun,
  verifyAcs3Signature,
} from './fake-aliyun.ts';
export {
  type AliyunSmsReport,
  createFakeAliyunSms,
  type FakeAliyunSms,
  type FakeAliyunSmsFault,
  type FakeAliyunSmsMessage,
  type FakeAliyunSmsOptions,
} from './fake-aliyun-sms.ts';
export {
  type AliyunVoiceReport,
  createFakeAliyunVoice,
  type FakeAliyunVoice,
  type FakeAliyunVoiceCall,
  type FakeAliyunVoiceFault,
  type FakeAliyunVoiceOptions,
} from './fake-aliyun-voice.ts';
export {
  type FakeDeliveryOutcome,
  type FakeFailureOptions,
  type FakeTwilio,
  type FakeTwilioCallback,
  type FakeTwilioMessage,
  type FakeTwilioOptions,
  type FakeTwilioRequest,
  startFakeTwilio,
} from './fake-twilio.ts';
export { firstApprovedContacts } from './home-contacts.ts';
export {
  type AxeFinding,
  axeFindings,
  hasNoSideScroll,
  isSerious,
  leaksIn,
  pageTexts,
  ScreenAudit,
  type ScreenRecord,
} from './page-checks.ts';
export {
  createTestPostgres,
  openTestDatabase,
  type TestDatabase,
  type TestDatabaseKind,
  type TestPostgres,
} from './postgres.ts';
export { type RunToEnd, runNodeToEnd } from './run-to-end.ts';
export {
  acceptedPerIdempotencyKey,
  countSmsByStatus,
  type DeliveredExactlyOnceExpectation,
  type DeliveryCounts,
  dedupeKeyOfBody,
  expectDeliveredExactlyOnce,
  FAULT_TEST_SMS_OPTIONS,
  FAULT_TEST_TWILIO_TIMEOUT_MS,
  isSmsPipelineIdle,
  type ProviderWorld,
  reminderBody,
  type ScheduleRemindersOptions,
  type SmsWorld,
  type SmsWorldFixture,
  type SmsWorldKind,
  type StoredReminder,
  type StoreRemindersOptions,
  spawnSmsWorker,
  storeReminders,
  type TwilioSenderOptions,
  useSmsWorld,
  type WaitUntilSettledOptions,
  waitUntil,
} from './sms-pipeline.ts';

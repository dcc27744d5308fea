export {
  type ApiWorld,
  createApiWorld,
  FIXTURE_PASSWORD,
  PRINCIPAL_NAMES,
  type PrincipalName,
  type WorldHome,
} from './api-world.ts';
export { CHROMIUM_ARGS, type ChromiumSession, launchChromium } from './chromium.ts';
export { type FakeTwilio, type FakeTwilioOptions, startFakeTwilio } from './fake-twilio.ts';
export { getFreeTcpPort, getFreeUdpPort } from './free-port.ts';
export { findLivekitBinary, type LivekitServer, livekitInstallHint, startLivekit } from './livekit.ts';
export { createTestPostgres, openTestDatabase, type TestDatabase, type TestDatabaseKind } from './postgres.ts';
export { REDIS_INSTALL_HINT, type RedisServer, startRedis } from './redis.ts';

/**
 * The only place the test harness reads the environment.
 * Every value has a default that works on a Debian machine set up by `scripts/test.sh`.
 */
export const testEnv = {
  /** Server on which throwaway databases are created and dropped. */
  postgresUrl: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  /** An external Redis to use instead of starting one (not recommended for tests). */
  redisUrl: process.env.REDIS_URL || undefined,
  /** An external LiveKit (with LIVEKIT_API_KEY/SECRET) instead of starting one. */
  livekitUrl: process.env.LIVEKIT_URL || undefined,
  livekitApiKey: process.env.LIVEKIT_API_KEY || undefined,
  livekitApiSecret: process.env.LIVEKIT_API_SECRET || undefined,
  chromiumPath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  searchPath: process.env.PATH ?? '',
  isCi: process.env.CI === 'true',
};

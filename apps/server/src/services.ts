import type { Database } from '@affection/db';
import type { Redis } from 'ioredis';
import type { RoomServiceClient } from 'livekit-server-sdk';
import type { Logger } from 'pino';
import type { Principal } from './auth/principal.ts';

/** Everything a request handler may use, created once in `main.ts` and carried in the context. */
export interface AppServices {
  database: Database;
  redis: Redis;
  /** `null` when LiveKit is not configured: calls are disabled. */
  livekitRooms: RoomServiceClient | null;
  logger: Logger;
  /** The current time; tests pass a fixed clock. */
  now: () => Date;
  settings: ServerSettings;
}

/** Settings handlers need, derived from the configuration once. */
export interface ServerSettings {
  /** The address parents and Twilio reach (no trailing slash). */
  publicUrl: string;
  /** Cookies get `Secure` (true when PUBLIC_URL is https or NODE_ENV is production). */
  secureCookies: boolean;
  /** Trust `X-Forwarded-For` for the client address (behind a known proxy only). Default false. */
  trustProxy: boolean;
}

/** Hono's typing of our context. */
export interface AppEnv {
  Variables: {
    services: AppServices;
    log: Logger;
    requestId: string;
    principal: Principal;
  };
}

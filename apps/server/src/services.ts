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

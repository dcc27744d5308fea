import type { OpenAPIHono } from '@hono/zod-openapi';
import { createLoginThrottleSource } from '../../auth/login-throttle.ts';
import { getDecoyHash } from '../../auth/passwords.ts';
import type { AppEnv } from '../../services.ts';
import { registerChangePassword } from './change-password.ts';
import { registerGetMe } from './get-me.ts';
import { registerSignIn } from './sign-in.ts';
import { registerSignOut } from './sign-out.ts';

/**
 * Staff sign-in: `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`,
 * `POST /api/auth/password`. The login throttle is made once per app, on the app's Redis client.
 */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  const loginThrottleOf = createLoginThrottleSource();
  // Hash the decoy now, so that the first unknown login takes no longer than any other.
  void getDecoyHash();
  registerSignIn(app, loginThrottleOf);
  registerSignOut(app);
  registerGetMe(app);
  registerChangePassword(app, loginThrottleOf);
}

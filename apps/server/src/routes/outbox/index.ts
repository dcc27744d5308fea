import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerListOutbox } from './list-outbox.ts';

/** The Home's outgoing SMS (the outbox when no SMS provider is configured). */
export function registerOutboxRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListOutbox(app);
}

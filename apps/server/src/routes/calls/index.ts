import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerListChildCalls } from './list-child-calls.ts';

/** Call logs on children's records. */
export function registerCallsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListChildCalls(app);
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerListAudit } from './list-audit.ts';

/** The Home's audit log (admin only). */
export function registerAuditRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListAudit(app);
}

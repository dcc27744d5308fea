import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerEraseChild } from './erase-child.ts';
import { registerExportChild } from './export-child.ts';

/** Minors' data: a child's whole record on request, and its erasure. */
export function registerRecordsRoutes(app: OpenAPIHono<AppEnv>): void {
  registerExportChild(app);
  registerEraseChild(app);
}

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerArchiveChild } from './archive-child.ts';
import { registerCreateChild } from './create-child.ts';
import { registerGetChild } from './get-child.ts';
import { registerIntakeChild } from './intake-child.ts';
import { registerListChildren } from './list-children.ts';
import { registerUpdateChild } from './update-child.ts';

/** Children's records. */
export function registerChildrenRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListChildren(app);
  registerCreateChild(app);
  registerIntakeChild(app);
  registerGetChild(app);
  registerUpdateChild(app);
  registerArchiveChild(app);
}

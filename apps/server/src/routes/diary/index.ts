import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../services.ts';
import { registerCreateDiaryEntry } from './create-diary-entry.ts';
import { registerDeleteDiaryEntry } from './delete-diary-entry.ts';
import { registerListDiaryEntries } from './list-diary-entries.ts';
import { registerUpdateDiaryEntry } from './update-diary-entry.ts';

/** The growth diary (成长日记): teachers' dated notes on a child. */
export function registerDiaryRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListDiaryEntries(app);
  registerCreateDiaryEntry(app);
  registerUpdateDiaryEntry(app);
  registerDeleteDiaryEntry(app);
}

import { recordAudit } from '@affection/db';
import type { Context } from 'hono';
import type { AppEnv } from './services.ts';

/**
 * Records that the caller did `action` to a record. `details` holds ids and field names only —
 * never names, numbers or free text.
 *
 * @example await audit(c, 'child.read', 'child', child.id)
 */
export async function audit(
  c: Context<AppEnv>,
  action: string,
  subjectKind: string,
  subjectId: string | null,
  details: Record<string, unknown> | null = null,
): Promise<void> {
  const principal = c.get('principal');
  const { database, now } = c.get('services');
  const actor =
    principal.kind === 'staff'
      ? { actorKind: 'staff' as const, actorId: principal.staffId, homeId: principal.homeId }
      : principal.kind === 'district'
        ? { actorKind: 'staff' as const, actorId: principal.staffId, homeId: null }
        : principal.kind === 'kiosk'
          ? { actorKind: 'kiosk' as const, actorId: principal.kioskId, homeId: principal.homeId }
          : principal.kind === 'family'
            ? { actorKind: 'family' as const, actorId: principal.contactId, homeId: principal.homeId }
            : { actorKind: 'system' as const, actorId: null, homeId: null };
  await recordAudit(database.db, { ...actor, action, subjectKind, subjectId, details, at: now() });
}

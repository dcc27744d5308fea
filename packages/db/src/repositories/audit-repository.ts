import type { AuditEvent } from '@affection/core';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { auditEvents } from '../schema/index.ts';

/** What to record; `details` must never hold personal data (ids and field names only). */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { at?: Date };

/** Records one audit event. */
export async function recordAudit(db: Db, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values({ id: createId('auditEvent'), ...event, at: event.at ?? new Date() });
}

/** The audit trail of one subject, newest first. */
export async function listAuditForSubject(db: Db, subjectKind: string, subjectId: string): Promise<AuditEvent[]> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectKind, subjectKind), eq(auditEvents.subjectId, subjectId)))
    .orderBy(desc(auditEvents.at));
  return rows.map((r) => ({ ...r, details: (r.details as Record<string, unknown> | null) ?? null }));
}

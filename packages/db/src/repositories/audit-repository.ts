import type { AuditEvent } from '@affection/core';
import { and, desc, eq, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { auditEvents, bookingChildren, homes, kiosks, staff } from '../schema/index.ts';

/** What to record; `details` must never hold personal data (ids and field names only). */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'> & { at?: Date };

/** An audit row as the domain's event (its `details` are ids and field names only). */
function toAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return { ...row, details: (row.details as Record<string, unknown> | null) ?? null };
}

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
  return rows.map(toAuditEvent);
}

/** Where a page of the audit log continues: the last row shown (newest first, ties by id). */
export interface AuditLogCursor {
  at: Date;
  id: string;
}

/** Options of {@link listAuditLogOfHome}. */
export interface ListAuditLogOptions {
  /** Rows on the page (the caller bounds it). */
  limit: number;
  /** Only what this staff member did. */
  actorStaffId?: string | undefined;
  /**
   * Only events about this child: the child is the subject (reads, changes, diary, pairings), or the
   * subject is a booking of the child (through `booking_children`, indexed by child).
   */
  childId?: string | undefined;
  /** On or after this instant. */
  from?: Date | undefined;
  /** Before this instant. */
  before?: Date | undefined;
  /** After the row of the previous page. */
  cursor?: AuditLogCursor | undefined;
}

/** One audit event with who did it, by name where the Home has one (staff, kiosk). */
export interface AuditLogEntry extends AuditEvent {
  /** The staff member's display name or the kiosk's name; null for a parent, the system, or a removed record. */
  actorName: string | null;
}

/** A page of the audit log, and where the next one starts (null on the last page). */
export interface AuditLogPage {
  items: AuditLogEntry[];
  next: AuditLogCursor | null;
}

/**
 * A Home's audit log, newest first, paged by cursor (the `(home_id, at)` index serves the order and
 * the days; the child filter uses the `(subject_kind, subject_id)` index). Names come from the
 * Home's own staff and kiosks, and the district admins of the Home's district (who act in any of its Homes).
 */
export async function listAuditLogOfHome(db: Db, homeId: string, options: ListAuditLogOptions): Promise<AuditLogPage> {
  const where: SQL[] = [eq(auditEvents.homeId, homeId)];
  if (options.actorStaffId) {
    where.push(eq(auditEvents.actorKind, 'staff'), eq(auditEvents.actorId, options.actorStaffId));
  }
  if (options.childId) {
    const bookingsOfChild = db
      .select({ id: bookingChildren.bookingId })
      .from(bookingChildren)
      .where(eq(bookingChildren.childId, options.childId));
    where.push(
      or(
        and(eq(auditEvents.subjectKind, 'child'), eq(auditEvents.subjectId, options.childId)),
        and(eq(auditEvents.subjectKind, 'booking'), inArray(auditEvents.subjectId, bookingsOfChild)),
      ) as SQL,
    );
  }
  if (options.from) where.push(gte(auditEvents.at, options.from));
  if (options.before) where.push(lt(auditEvents.at, options.before));
  if (options.cursor) {
    const { at, id } = options.cursor;
    where.push(or(lt(auditEvents.at, at), and(eq(auditEvents.at, at), lt(auditEvents.id, id))) as SQL);
  }
  const rows = await db
    .select({ event: auditEvents, staffName: staff.displayName, kioskName: kiosks.name })
    .from(auditEvents)
    .leftJoin(
      staff,
      and(
        eq(auditEvents.actorKind, 'staff'),
        eq(staff.id, auditEvents.actorId),
        // The Home's own staff, or a district admin of the Home's district acting in it.
        or(
          eq(staff.homeId, homeId),
          and(
            isNull(staff.homeId),
            eq(staff.districtId, db.select({ id: homes.districtId }).from(homes).where(eq(homes.id, homeId))),
          ),
        ),
      ),
    )
    .leftJoin(
      kiosks,
      and(eq(auditEvents.actorKind, 'kiosk'), eq(kiosks.id, auditEvents.actorId), eq(kiosks.homeId, homeId)),
    )
    .where(and(...where))
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(options.limit + 1);
  const items = rows.slice(0, options.limit).map(({ event, staffName, kioskName }) => ({
    ...toAuditEvent(event),
    actorName: event.actorKind === 'staff' ? staffName : event.actorKind === 'kiosk' ? kioskName : null,
  }));
  const last = items.at(-1);
  return { items, next: rows.length > options.limit && last ? { at: last.at, id: last.id } : null };
}

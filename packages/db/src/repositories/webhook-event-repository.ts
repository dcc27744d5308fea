import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { webhookEvents } from '../schema/index.ts';

/** Who sent a webhook. */
export type WebhookSource = 'livekit' | 'twilio-status' | 'twilio-sms' | 'twilio-voice' | 'aliyun-voice-report';

/** A verified webhook event to keep. */
export interface NewWebhookEvent {
  source: WebhookSource;
  /** The provider's id of the event; unique per source. */
  eventId: string;
  eventType: string;
  /** The room or message it is about. */
  subject?: string | null;
  /** What later processing needs; never phone numbers or message bodies. */
  payload: Record<string, unknown>;
  now: Date;
}

/** A stored webhook event. */
export interface WebhookEventRecord {
  id: string;
  source: WebhookSource;
  eventId: string;
  eventType: string;
  subject: string | null;
  payload: unknown;
  receivedAt: Date;
  processedAt: Date | null;
}

/**
 * Stores a verified event once per (source, event id). `isNew: false` means it was stored before
 * (a provider's retry or a replay): do nothing more with it.
 *
 * @example if (!(await storeWebhookEventOnce(db, { source: 'livekit', eventId, eventType, payload, now })).isNew) return
 */
export async function storeWebhookEventOnce(db: Db, event: NewWebhookEvent): Promise<{ id: string; isNew: boolean }> {
  const [row] = await db
    .insert(webhookEvents)
    .values({
      id: createId('webhookEvent'),
      source: event.source,
      eventId: event.eventId,
      eventType: event.eventType,
      subject: event.subject ?? null,
      payload: event.payload,
      receivedAt: event.now,
    })
    .onConflictDoNothing({ target: [webhookEvents.source, webhookEvents.eventId] })
    .returning({ id: webhookEvents.id });
  if (row) return { id: row.id, isNew: true };
  const existing = await findWebhookEvent(db, event.source, event.eventId);
  if (!existing) throw new Error('storeWebhookEventOnce: the event conflicts with another but none was found');
  return { id: existing.id, isNew: false };
}

/** The stored event of a source by the provider's id, or null. */
export async function findWebhookEvent(
  db: Db,
  source: WebhookSource,
  eventId: string,
): Promise<WebhookEventRecord | null> {
  const [row] = await db
    .select()
    .from(webhookEvents)
    .where(and(eq(webhookEvents.source, source), eq(webhookEvents.eventId, eventId)));
  return row ?? null;
}

/** Every stored event of a source, oldest first (for tests and the reconciler). */
export async function listWebhookEvents(db: Db, source: WebhookSource): Promise<WebhookEventRecord[]> {
  return db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.source, source))
    .orderBy(asc(webhookEvents.receivedAt), asc(webhookEvents.id));
}

/** Marks an event processed (once; a second call changes nothing). */
export async function markWebhookEventProcessed(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ processedAt: now })
    .where(and(eq(webhookEvents.id, id), isNull(webhookEvents.processedAt)));
}

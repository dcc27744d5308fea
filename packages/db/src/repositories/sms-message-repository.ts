import {
  type BookingStatus,
  FINAL_SMS_STATUSES,
  type SmsMessageStatus,
  type SmsStatusUpdateState,
  smsStatusesBefore,
  smsStatusOfState,
} from '@affection/core';
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { bookingChildren, bookings, children, smsMessages } from '../schema/index.ts';
import { SMS_EXPIRED } from './sms-dispatch-repository.ts';

/** Who carried a message: the database outbox (no provider configured), Twilio or Alibaba Cloud SMS. */
export type SmsProviderName = 'outbox' | 'twilio' | 'aliyun';

/** A message's registered template and variables (the core's `SmsTemplateCall`), as stored. */
export interface StoredSmsTemplateParams {
  key: string;
  variables: Record<string, string>;
}

/** One SMS, out or in, as stored. */
export interface SmsMessageRecord {
  id: string;
  homeId: string | null;
  direction: 'out' | 'in';
  dedupeKey: string | null;
  toPhone: string;
  fromPhone: string | null;
  body: string;
  template: string | null;
  /** For a provider that sends only registered templates: which one, with its variables. */
  templateParams: StoredSmsTemplateParams | null;
  language: string | null;
  status: SmsMessageStatus;
  provider: SmsProviderName | null;
  providerId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  dueAt: Date;
  /** Not sent from this time on (cancelled as expired); null for never. */
  sendBefore: Date | null;
  sentAt: Date | null;
  bookingId: string | null;
  contactId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An outgoing message to store. */
export interface NewOutgoingSms {
  homeId: string | null;
  toPhone: string;
  body: string;
  /** Unique across all messages: a second insert with the same key stores nothing. */
  dedupeKey?: string | null;
  /** The template kind it was rendered from, e.g. `reminder-15-min`. */
  template?: string | null;
  /** The registered template and its variables, for a provider that sends only templates. */
  templateParams?: StoredSmsTemplateParams | null;
  language?: string | null;
  /** Default `pending`. */
  status?: SmsMessageStatus;
  provider?: SmsProviderName | null;
  providerId?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** Default `now`. */
  dueAt?: Date;
  /** Not sent from this time on (a message about a call that is over): default never. */
  sendBefore?: Date | null;
  sentAt?: Date | null;
  bookingId?: string | null;
  contactId?: string | null;
  /** Default a new `sms_…` id. */
  id?: string;
  now: Date;
}

/** The `sms_messages` row of an outgoing message, with its defaults. */
function outgoingSmsRow(input: NewOutgoingSms): typeof smsMessages.$inferInsert {
  return {
    id: input.id ?? createId('smsMessage'),
    homeId: input.homeId,
    direction: 'out',
    dedupeKey: input.dedupeKey ?? null,
    toPhone: input.toPhone,
    body: input.body,
    template: input.template ?? null,
    templateParams: input.templateParams ?? null,
    language: input.language ?? null,
    status: input.status ?? 'pending',
    provider: input.provider ?? null,
    providerId: input.providerId ?? null,
    errorCode: input.errorCode ?? null,
    errorMessage: input.errorMessage ?? null,
    dueAt: input.dueAt ?? input.now,
    sendBefore: input.sendBefore ?? null,
    sentAt: input.sentAt ?? null,
    bookingId: input.bookingId ?? null,
    contactId: input.contactId ?? null,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * Stores many outgoing messages in one statement; a message whose `dedupeKey` is already taken is not stored.
 * Returns the messages stored now, in no particular order (compare their dedupe keys to see which were not).
 */
export async function insertOutgoingSmsBatch(db: Db, inputs: readonly NewOutgoingSms[]): Promise<SmsMessageRecord[]> {
  if (inputs.length === 0) return [];
  return db.insert(smsMessages).values(inputs.map(outgoingSmsRow)).onConflictDoNothing().returning();
}

/**
 * Stores an outgoing message. With a `dedupeKey` that is already taken, nothing is stored and the
 * existing message comes back with `isNew: false`.
 *
 * @example await insertOutgoingSms(db, { homeId, toPhone, body, dedupeKey: `${bookingId}-reminder-15m-1`, now })
 */
export async function insertOutgoingSms(
  db: Db,
  input: NewOutgoingSms,
): Promise<{ message: SmsMessageRecord; isNew: boolean }> {
  const [row] = await db.insert(smsMessages).values(outgoingSmsRow(input)).onConflictDoNothing().returning();
  if (row) return { message: row, isNew: true };
  const existing = input.dedupeKey ? await findSmsByDedupeKey(db, input.dedupeKey) : null;
  if (!existing) throw new Error('insertOutgoingSms: the message conflicts with another but none was found');
  return { message: existing, isNew: false };
}

/** One message by id, or null. */
export async function getSmsMessage(db: Db, id: string): Promise<SmsMessageRecord | null> {
  const [row] = await db.select().from(smsMessages).where(eq(smsMessages.id, id));
  return row ?? null;
}

/** The message with this dedupe key, or null. */
export async function findSmsByDedupeKey(db: Db, dedupeKey: string): Promise<SmsMessageRecord | null> {
  const [row] = await db.select().from(smsMessages).where(eq(smsMessages.dedupeKey, dedupeKey));
  return row ?? null;
}

/** The message a provider knows by this id (Twilio `SM…`, outbox `outbox_…`), or null. */
export async function findSmsByProviderId(db: Db, providerId: string): Promise<SmsMessageRecord | null> {
  const [row] = await db.select().from(smsMessages).where(eq(smsMessages.providerId, providerId));
  return row ?? null;
}

/**
 * Where an outgoing message is, in the console's words: `queued` (pending or being handed over),
 * `sent`, `delivered`, `failed` (the provider or the phone refused it), `expired` (cancelled because
 * the call it was about was over first) and `cancelled` (withdrawn, e.g. its booking was cancelled).
 */
export const OUTBOX_STAGES = ['queued', 'sent', 'delivered', 'failed', 'expired', 'cancelled'] as const;

/** One of {@link OUTBOX_STAGES}. */
export type OutboxStage = (typeof OUTBOX_STAGES)[number];

/** The stage of an outgoing message (`received` is an inbound message's status: no stage). */
export function outboxStageOf(message: Pick<SmsMessageRecord, 'status' | 'errorCode'>): OutboxStage | null {
  switch (message.status) {
    case 'pending':
    case 'sending':
      return 'queued';
    case 'sent':
    case 'delivered':
    case 'failed':
      return message.status;
    case 'undelivered':
      return 'failed';
    case 'cancelled':
      return message.errorCode === SMS_EXPIRED ? 'expired' : 'cancelled';
    default:
      return null;
  }
}

/** The rows of one stage, as SQL (the same sets as {@link outboxStageOf}). */
function stageCondition(stage: OutboxStage): SQL {
  switch (stage) {
    case 'queued':
      return inArray(smsMessages.status, ['pending', 'sending']);
    case 'failed':
      return inArray(smsMessages.status, ['failed', 'undelivered']);
    case 'expired':
      return and(eq(smsMessages.status, 'cancelled'), eq(smsMessages.errorCode, SMS_EXPIRED)) as SQL;
    case 'cancelled':
      return and(
        eq(smsMessages.status, 'cancelled'),
        or(isNull(smsMessages.errorCode), ne(smsMessages.errorCode, SMS_EXPIRED)),
      ) as SQL;
    default:
      return eq(smsMessages.status, stage);
  }
}

/** Options for {@link listOutgoingSmsOfHome}. */
export interface ListOutgoingSmsOptions {
  limit: number;
  offset: number;
  /** Only messages in these stages; default every stage. */
  stages?: readonly OutboxStage[];
  /** Only messages made at or after this instant. */
  from?: Date;
  /** Only messages made before this instant. */
  to?: Date;
  /** Only the messages about this booking. */
  bookingId?: string;
  /** Only the messages about bookings this child is on. */
  childId?: string;
}

/** A page of a Home's outgoing messages, newest first, with the total count. Mask the numbers before showing them. */
export async function listOutgoingSmsOfHome(
  db: Db,
  homeId: string,
  options: ListOutgoingSmsOptions,
): Promise<{ items: SmsMessageRecord[]; total: number }> {
  const conditions: SQL[] = [eq(smsMessages.homeId, homeId), eq(smsMessages.direction, 'out')];
  if (options.stages) {
    if (options.stages.length === 0) return { items: [], total: 0 };
    conditions.push(or(...options.stages.map(stageCondition)) as SQL);
  }
  if (options.from) conditions.push(gte(smsMessages.createdAt, options.from));
  if (options.to) conditions.push(lt(smsMessages.createdAt, options.to));
  if (options.bookingId) conditions.push(eq(smsMessages.bookingId, options.bookingId));
  if (options.childId) {
    const bookingsOfChild = db
      .select({ id: bookingChildren.bookingId })
      .from(bookingChildren)
      .where(eq(bookingChildren.childId, options.childId));
    conditions.push(inArray(smsMessages.bookingId, bookingsOfChild));
  }
  const where = and(...conditions);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(smsMessages)
      .where(where)
      .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ value: count() }).from(smsMessages).where(where),
  ]);
  return { items, total: total?.value ?? 0 };
}

/** An inbound message to record. */
export interface NewInboundSms {
  /** The provider's id of the message (Twilio `SM…`): a message stored once is never stored again. */
  providerId: string;
  provider: SmsProviderName;
  fromPhone: string;
  /** The number it was sent to (ours). */
  toPhone: string;
  body: string;
  /** The Home and contact it is from, when the number names exactly one. */
  homeId: string | null;
  contactId: string | null;
  now: Date;
}

/**
 * Records an inbound message (direction `in`, status `received`) once per provider id; a second
 * call with the same id stores nothing and returns the first with `isNew: false`.
 */
export async function recordInboundSms(
  db: Db,
  input: NewInboundSms,
): Promise<{ message: SmsMessageRecord; isNew: boolean }> {
  const [row] = await db
    .insert(smsMessages)
    .values({
      id: createId('smsMessage'),
      homeId: input.homeId,
      direction: 'in',
      toPhone: input.toPhone,
      fromPhone: input.fromPhone,
      body: input.body,
      status: 'received',
      provider: input.provider,
      providerId: input.providerId,
      dueAt: input.now,
      sentAt: input.now,
      contactId: input.contactId,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .onConflictDoNothing({ target: smsMessages.providerId })
    .returning();
  if (row) return { message: row, isNew: true };
  const existing = await findSmsByProviderId(db, input.providerId);
  if (!existing) throw new Error('recordInboundSms: the message conflicts with another but none was found');
  return { message: existing, isNew: false };
}

// The status machine (forward only, final statuses kept) is the core's; re-exported for the repository's callers.
export { FINAL_SMS_STATUSES, type SmsMessageStatus, type SmsStatusUpdateState, smsStatusesBefore };

/** A status report for an outgoing message. */
export interface SmsStatusUpdate {
  /** The provider's id of the message. */
  providerId: string;
  provider: SmsProviderName;
  state: SmsStatusUpdateState;
  /**
   * Our message id the provider echoed back (Twilio: the status callback URL's `idempotencyKey`):
   * finds a message whose send timed out before we learnt its provider id.
   */
  messageId?: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  now: Date;
}

/** The answer to {@link applySmsStatusUpdate}. */
export type SmsStatusUpdateResult =
  | { outcome: 'applied'; message: SmsMessageRecord }
  /** The message was already as far or further along (or final): nothing changed. */
  | { outcome: 'ignored'; message: SmsMessageRecord }
  | { outcome: 'not-found' };

/**
 * Applies a provider's status report in one statement that never moves a message backwards (see
 * {@link smsStatusesBefore}): a late `sent` after `delivered` is ignored, and nothing changes a
 * failed message. When the provider id is not known yet but `messageId` names an outgoing message
 * without one, the provider id is recorded on it first.
 *
 * @example await applySmsStatusUpdate(db, { providerId: 'SM…', provider: 'twilio', state: 'delivered', now })
 */
export async function applySmsStatusUpdate(db: Db, update: SmsStatusUpdate): Promise<SmsStatusUpdateResult> {
  const next = smsStatusOfState(update.state);
  let message = await findSmsByProviderId(db, update.providerId);
  if (!message && update.messageId) {
    const [claimed] = await db
      .update(smsMessages)
      .set({ providerId: update.providerId, provider: update.provider, updatedAt: update.now })
      .where(
        and(eq(smsMessages.id, update.messageId), eq(smsMessages.direction, 'out'), isNull(smsMessages.providerId)),
      )
      .returning();
    message = claimed ?? null;
  }
  if (message?.direction !== 'out') return { outcome: 'not-found' };
  const allowedFrom = smsStatusesBefore(next);
  if (allowedFrom.length === 0) return { outcome: 'ignored', message };
  const isFailure = next === 'undelivered' || next === 'failed';
  const isOnItsWay = next === 'sent' || next === 'delivered';
  const conditions: SQL[] = [eq(smsMessages.id, message.id), inArray(smsMessages.status, allowedFrom)];
  const [updated] = await db
    .update(smsMessages)
    .set({
      status: next,
      updatedAt: update.now,
      ...(isOnItsWay ? { sentAt: sql`coalesce(${smsMessages.sentAt}, ${update.now.toISOString()}::timestamptz)` } : {}),
      ...(isFailure ? { errorCode: update.errorCode ?? null, errorMessage: update.errorMessage ?? null } : {}),
    })
    .where(and(...conditions))
    .returning();
  if (updated) return { outcome: 'applied', message: updated };
  return { outcome: 'ignored', message: (await getSmsMessage(db, message.id)) ?? message };
}

/**
 * Records that a provider accepted an outgoing message: its provider and id, status `sent` (from
 * `pending` or `sending` only) and the time. Returns the message, or null when there is none.
 */
export async function markSmsAccepted(
  db: Db,
  id: string,
  accepted: { provider: SmsProviderName; providerId: string; now: Date },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({
      provider: accepted.provider,
      providerId: accepted.providerId,
      status: 'sent',
      sentAt: sql`coalesce(${smsMessages.sentAt}, ${accepted.now.toISOString()}::timestamptz)`,
      attempts: sql`${smsMessages.attempts} + 1`,
      updatedAt: accepted.now,
    })
    .where(
      and(
        eq(smsMessages.id, id),
        eq(smsMessages.direction, 'out'),
        inArray(smsMessages.status, ['pending', 'sending']),
      ),
    )
    .returning();
  return row ?? (await getSmsMessage(db, id));
}

/** Marks an outgoing message `failed` (from `pending` or `sending` only) with an error code and message. */
export async function markSmsFailed(
  db: Db,
  id: string,
  failure: { errorCode: string; errorMessage: string; now: Date },
): Promise<SmsMessageRecord | null> {
  const [row] = await db
    .update(smsMessages)
    .set({
      status: 'failed',
      errorCode: failure.errorCode,
      errorMessage: failure.errorMessage,
      attempts: sql`${smsMessages.attempts} + 1`,
      updatedAt: failure.now,
    })
    .where(
      and(
        eq(smsMessages.id, id),
        eq(smsMessages.direction, 'out'),
        inArray(smsMessages.status, ['pending', 'sending']),
      ),
    )
    .returning();
  return row ?? (await getSmsMessage(db, id));
}

/** The booking an outgoing message is about, as the outbox shows it. */
export interface OutboxBookingSummary {
  id: string;
  start: Date;
  end: Date;
  status: BookingStatus;
  /** The children on it (erased children left out), by given name. */
  children: { id: string; familyName: string; givenName: string }[];
}

/** The bookings (of this Home only) with these ids, with their children, by id. */
export async function listOutboxBookings(
  db: Db,
  homeId: string,
  bookingIds: readonly string[],
): Promise<Map<string, OutboxBookingSummary>> {
  const found = new Map<string, OutboxBookingSummary>();
  const ids = [...new Set(bookingIds)];
  if (ids.length === 0) return found;
  const rows = await db
    .select({
      id: bookings.id,
      start: bookings.startAt,
      end: bookings.endAt,
      status: bookings.status,
      childId: children.id,
      familyName: children.familyName,
      givenName: children.givenName,
      erasedAt: children.erasedAt,
    })
    .from(bookings)
    .leftJoin(bookingChildren, eq(bookingChildren.bookingId, bookings.id))
    .leftJoin(children, eq(children.id, bookingChildren.childId))
    .where(and(eq(bookings.homeId, homeId), inArray(bookings.id, ids)))
    .orderBy(asc(bookings.id), asc(children.givenName));
  for (const row of rows) {
    let summary = found.get(row.id);
    if (!summary) {
      summary = { id: row.id, start: row.start, end: row.end, status: row.status, children: [] };
      found.set(row.id, summary);
    }
    if (row.childId && row.familyName !== null && row.givenName !== null && !row.erasedAt) {
      summary.children.push({ id: row.childId, familyName: row.familyName, givenName: row.givenName });
    }
  }
  return found;
}

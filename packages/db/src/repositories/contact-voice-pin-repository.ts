import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { contactVoicePins } from '../schema/index.ts';

/** Whether a contact has a phone PIN, and since when; never the hash. */
export interface VoicePinStatus {
  contactId: string;
  setByKind: 'staff' | 'family';
  setAt: Date;
  /** Until when the voice menu asks for no PIN after too many wrong ones; null when it asks. */
  lockedUntil: Date | null;
}

/** What {@link setVoicePin} stores. */
export interface NewVoicePin {
  homeId: string;
  contactId: string;
  /** The argon2id hash; the digits themselves are never stored. */
  pinHash: string;
  setBy: { kind: 'staff' | 'family'; id: string };
  now: Date;
}

/** The limits {@link claimVoicePinAttempt} applies. */
export interface VoicePinLimits {
  /** Tries allowed within {@link VoicePinLimits.windowMs} before the PIN is locked. */
  maxAttempts: number;
  /** A try older than this no longer counts. */
  windowMs: number;
  /** How long the PIN stays locked after the last allowed try. */
  cooldownMs: number;
}

/** The answer of {@link claimVoicePinAttempt}. */
export type VoicePinClaim =
  | { kind: 'no-pin' }
  | { kind: 'locked'; lockedUntil: Date }
  | {
      kind: 'claimed';
      /** The hash to check the entered digits against. */
      pinHash: string;
      /** Tries counted in the window, this one included. */
      attempts: number;
      /** Set when this try was the last one allowed: wrong now means locked until then. */
      lockedUntil: Date | null;
    };

const statusColumns = {
  contactId: contactVoicePins.contactId,
  setByKind: contactVoicePins.setByKind,
  setAt: contactVoicePins.setAt,
  lockedUntil: contactVoicePins.lockedUntil,
};

/**
 * Sets (or replaces) a contact's PIN hash; a new PIN starts with no wrong tries and no lock. The
 * contact must belong to `homeId` (the caller checked it); null when its PIN is kept under another Home.
 */
export async function setVoicePin(db: Db, pin: NewVoicePin): Promise<VoicePinStatus | null> {
  const values = {
    homeId: pin.homeId,
    pinHash: pin.pinHash,
    setByKind: pin.setBy.kind,
    setById: pin.setBy.id,
    setAt: pin.now,
    failedAttempts: 0,
    lastFailedAt: null,
    lockedUntil: null,
  };
  const [row] = await db
    .insert(contactVoicePins)
    .values({ contactId: pin.contactId, ...values })
    .onConflictDoUpdate({
      target: contactVoicePins.contactId,
      set: values,
      where: eq(contactVoicePins.homeId, pin.homeId),
    })
    .returning(statusColumns);
  return row ?? null;
}

/** Removes a contact's PIN; false when it had none. */
export async function clearVoicePin(db: Db, homeId: string, contactId: string): Promise<boolean> {
  const rows = await db
    .delete(contactVoicePins)
    .where(and(eq(contactVoicePins.contactId, contactId), eq(contactVoicePins.homeId, homeId)))
    .returning({ contactId: contactVoicePins.contactId });
  return rows.length > 0;
}

/** A contact's PIN status, or null when it has none. */
export async function getVoicePinStatus(db: Db, homeId: string, contactId: string): Promise<VoicePinStatus | null> {
  const [row] = await db
    .select(statusColumns)
    .from(contactVoicePins)
    .where(and(eq(contactVoicePins.contactId, contactId), eq(contactVoicePins.homeId, homeId)));
  return row ?? null;
}

/**
 * Takes one PIN try before the digits are checked, in one statement: a try counts as wrong until
 * {@link recordVoicePinSuccess} says otherwise, so calls made at the same time cannot get more tries
 * than `maxAttempts`. Counting starts again once the window has passed or a lock has run out; the
 * try that reaches `maxAttempts` sets the lock. A locked PIN gives no try at all.
 */
export async function claimVoicePinAttempt(
  db: Db,
  homeId: string,
  contactId: string,
  options: VoicePinLimits & { now: Date },
): Promise<VoicePinClaim> {
  const { now } = options;
  const nowAt = now.toISOString();
  const windowStart = new Date(now.getTime() - options.windowMs).toISOString();
  const lockEnd = new Date(now.getTime() + options.cooldownMs).toISOString();
  const t = contactVoicePins;
  const startsOver = sql`(${t.lastFailedAt} is null or ${t.lastFailedAt} <= ${windowStart}::timestamptz or (${t.lockedUntil} is not null and ${t.lockedUntil} <= ${nowAt}::timestamptz))`;
  const attempts = sql`(case when ${startsOver} then 1 else ${t.failedAttempts} + 1 end)`;
  const [claimed] = await db
    .update(t)
    .set({
      failedAttempts: sql`${attempts}`,
      lastFailedAt: now,
      lockedUntil: sql`(case when ${attempts} >= ${options.maxAttempts}::integer then ${lockEnd}::timestamptz else null end)`,
    })
    .where(and(eq(t.contactId, contactId), eq(t.homeId, homeId), or(isNull(t.lockedUntil), lte(t.lockedUntil, now))))
    .returning({ pinHash: t.pinHash, attempts: t.failedAttempts, lockedUntil: t.lockedUntil });
  if (claimed) return { kind: 'claimed', ...claimed };
  const status = await getVoicePinStatus(db, homeId, contactId);
  if (!status) return { kind: 'no-pin' };
  // Locked (a row the update skipped has a lock in the future).
  return { kind: 'locked', lockedUntil: status.lockedUntil ?? now };
}

/** The digits were right: the try claimed for them, and any earlier wrong ones, no longer count. */
export async function recordVoicePinSuccess(db: Db, homeId: string, contactId: string): Promise<void> {
  await db
    .update(contactVoicePins)
    .set({ failedAttempts: 0, lastFailedAt: null, lockedUntil: null })
    .where(and(eq(contactVoicePins.contactId, contactId), eq(contactVoicePins.homeId, homeId)));
}

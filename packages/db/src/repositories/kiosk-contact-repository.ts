import type { KioskAudioState } from '@affection/core';
import { and, eq, isNull, lte, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { kiosks } from '../schema/index.ts';

/** What a kiosk's authenticated request tells about it. */
export interface KioskContact {
  /** When the request came. */
  at: Date;
  /** The app version it sent, already checked; null when it sent none (or junk): the stored one stays. */
  appVersion: string | null;
  /** The sound state it sent, already checked; null when it sent none (or junk): the stored one stays. */
  audioState?: KioskAudioState | null;
  /** A contact recorded at or after `at - everyMs` is not written again (unless the version changed). */
  everyMs: number;
}

/**
 * Records that an enrolled kiosk reached the server: `last_seen_at`, `app_version` when it sent one, and
 * `audio_state` with `audio_checked_at` when it sent its sound state. The write happens only when the stored contact
 * is older than `everyMs` or the version or sound state differs, checked in the statement itself, so concurrent
 * requests of one kiosk write once. Returns whether a row was written.
 *
 * @example await recordKioskContact(db, kiosk.id, { at: now, appVersion: '1.4.0', everyMs: 60_000 })
 */
export async function recordKioskContact(db: Db, kioskId: string, contact: KioskContact): Promise<boolean> {
  const staleBefore = new Date(contact.at.getTime() - contact.everyMs);
  const due: SQL[] = [isNull(kiosks.lastSeenAt), lte(kiosks.lastSeenAt, staleBefore)];
  if (contact.appVersion !== null) due.push(isNull(kiosks.appVersion), ne(kiosks.appVersion, contact.appVersion));
  const audioState = contact.audioState ?? null;
  if (audioState !== null) due.push(isNull(kiosks.audioState), ne(kiosks.audioState, audioState));
  const written = await db
    .update(kiosks)
    .set({
      lastSeenAt: contact.at,
      ...(contact.appVersion === null ? {} : { appVersion: contact.appVersion }),
      ...(audioState === null ? {} : { audioState, audioCheckedAt: contact.at }),
    })
    .where(and(eq(kiosks.id, kioskId), isNull(kiosks.revokedAt), or(...due)))
    .returning({ id: kiosks.id });
  return written.length > 0;
}

import { KIOSK_AUDIO_STATES, type Kiosk, type KioskAudioState } from '@affection/core';
import { recordKioskContact } from '@affection/db';
import type { Context } from 'hono';
import { safeErrorForLog } from '../errors/safe-error.ts';
import type { AppEnv } from '../services.ts';

/** Header the kiosk app sends its version in, on every request. */
export const KIOSK_VERSION_HEADER = 'x-kiosk-version';

/** Header the kiosk app sends its sound state in, on every request: `ok`, `no-output` or `locked`. */
export const KIOSK_AUDIO_HEADER = 'x-kiosk-audio';

/**
 * The sound state a kiosk sent, or null when it sent none or anything else (ignored, never stored, never refused).
 *
 * @example kioskAudioOf('no-output') → 'no-output'; kioskAudioOf('loud') → null
 */
export function kioskAudioOf(header: string | undefined): KioskAudioState | null {
  const value = header?.trim();
  return KIOSK_AUDIO_STATES.find((state) => state === value) ?? null;
}

/** A kiosk's last contact is written at most this often (version changes are written at once). */
export const KIOSK_CONTACT_EVERY_MS = 60_000;

/** Longest version accepted: a version, not a message. */
export const KIOSK_VERSION_MAX_LENGTH = 32;

// Printable ASCII, starting and ending with a visible character: `1.4.0`, `2026.12.05-3`, `1.4.0 (a1b2c3)`.
const VERSION = /^[!-~](?:[ -~]*[!-~])?$/;

/**
 * The version a kiosk sent, or null when it sent none or something that is not a short printable version
 * (over {@link KIOSK_VERSION_MAX_LENGTH} characters, control or non-ASCII characters): junk is ignored, never
 * stored and never refused — the kiosk still works.
 *
 * @example kioskVersionOf(' 1.4.0 ') → '1.4.0'; kioskVersionOf('1.4\n0') → null
 */
export function kioskVersionOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const version = header.trim();
  return version.length <= KIOSK_VERSION_MAX_LENGTH && VERSION.test(version) ? version : null;
}

/**
 * Notes that an enrolled kiosk reached the server: writes its last contact (and its sound state) when the stored
 * one is a minute old or more, or at once when it reports another version or another sound state; otherwise nothing
 * is written (the hot path reads only). A failed write is logged (its class and codes only) and the request goes on.
 */
export async function noteKioskContact(c: Context<AppEnv>, kiosk: Kiosk): Promise<void> {
  const { database, now } = c.get('services');
  const at = now();
  const appVersion = kioskVersionOf(c.req.header(KIOSK_VERSION_HEADER));
  const audioState = kioskAudioOf(c.req.header(KIOSK_AUDIO_HEADER));
  const isDue =
    kiosk.lastSeenAt === null ||
    at.getTime() - kiosk.lastSeenAt.getTime() >= KIOSK_CONTACT_EVERY_MS ||
    (appVersion !== null && appVersion !== kiosk.appVersion) ||
    (audioState !== null && audioState !== kiosk.audioState);
  if (!isDue) return;
  try {
    await recordKioskContact(database.db, kiosk.id, { at, appVersion, audioState, everyMs: KIOSK_CONTACT_EVERY_MS });
  } catch (error) {
    c.get('log').warn({ err: safeErrorForLog(error), kioskId: kiosk.id }, 'kiosk contact not recorded');
  }
}

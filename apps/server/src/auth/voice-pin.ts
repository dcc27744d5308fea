import {
  claimVoicePinAttempt,
  type Db,
  getVoicePinStatus,
  recordVoicePinSuccess,
  type VoicePinLimits,
} from '@affection/db';
import { hashPassword, verifyPassword } from './passwords.ts';

/** A phone PIN: 4 to 6 ASCII digits. */
export const VOICE_PIN_PATTERN = /^[0-9]{4,6}$/;

/**
 * How many PIN tries the voice menu allows: 3 in one phone call, and 5 per contact within an hour
 * across calls; after the fifth wrong one the menu asks for no PIN for an hour (then counting starts
 * again). A stranger who locks the PIN keeps no one out of the call: the parent still joins on the
 * parents' page, and the call's own phone ringing still rings the number on file.
 */
export const VOICE_PIN_LIMITS = {
  perCall: 3,
  maxAttempts: 5,
  windowMs: 60 * 60_000,
  cooldownMs: 60 * 60_000,
} as const satisfies VoicePinLimits & { perCall: number };

/**
 * Hashes a PIN with argon2id, as staff passwords are. A keyed hash would be faster, but its key would
 * be one more secret to configure and rotate; argon2id needs none and makes a copied table costly to
 * search, while the tries a caller gets are limited by {@link VOICE_PIN_LIMITS}, not by hashing speed.
 */
export function hashVoicePin(pin: string): Promise<string> {
  return hashPassword(pin);
}

/** What {@link checkVoicePin} found. */
export type VoicePinCheck =
  | { outcome: 'right' }
  | { outcome: 'wrong'; isLocked: boolean }
  | { outcome: 'locked' }
  | { outcome: 'no-pin' };

/**
 * Checks digits typed on the phone against a contact's PIN: the try is counted before the hash is
 * compared (so parallel calls cannot exceed the limit), and forgotten when the digits are right.
 * `wrong` says whether that was the last try before the lock.
 */
export async function checkVoicePin(
  db: Db,
  contact: { homeId: string; id: string },
  digits: string,
  now: Date,
): Promise<VoicePinCheck> {
  const claim = await claimVoicePinAttempt(db, contact.homeId, contact.id, { ...VOICE_PIN_LIMITS, now });
  if (claim.kind === 'no-pin') return { outcome: 'no-pin' };
  if (claim.kind === 'locked') return { outcome: 'locked' };
  if (VOICE_PIN_PATTERN.test(digits) && (await verifyPassword(claim.pinHash, digits))) {
    await recordVoicePinSuccess(db, contact.homeId, contact.id);
    return { outcome: 'right' };
  }
  return { outcome: 'wrong', isLocked: claim.lockedUntil !== null };
}

/** Whether the voice menu asks a contact for their PIN now: `asks`, `locked` (cooling down) or `no-pin`. */
export async function loadVoicePinState(
  db: Db,
  contact: { homeId: string; id: string },
  now: Date,
): Promise<'asks' | 'locked' | 'no-pin'> {
  const status = await getVoicePinStatus(db, contact.homeId, contact.id);
  if (!status) return 'no-pin';
  return status.lockedUntil && status.lockedUntil > now ? 'locked' : 'asks';
}

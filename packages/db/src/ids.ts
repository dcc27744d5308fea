import { randomBytes } from 'node:crypto';

/** The prefixes ids carry, so a log line or a URL says what it points at. */
export const ID_PREFIXES = {
  district: 'dst',
  home: 'hom',
  kiosk: 'kio',
  openingRule: 'opr',
  openingException: 'opx',
  staff: 'stf',
  session: 'ses',
  dutyPattern: 'dty',
  dutyOverride: 'dto',
  household: 'hsh',
  child: 'chd',
  pairing: 'par',
  contact: 'cnt',
  availabilityWindow: 'avw',
  booking: 'bkg',
  series: 'ser',
  callLog: 'cal',
  diaryEntry: 'dia',
  smsMessage: 'sms',
  familyEnrolment: 'fen',
  familyDevice: 'fdv',
  oneTimeCode: 'otc',
  auditEvent: 'aud',
  webhookEvent: 'whe',
  bookingStep: 'stp',
  voiceNotification: 'vnt',
} as const;

/** One of {@link ID_PREFIXES}' keys. */
export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new random id with its kind's prefix: 16 characters of Crockford-style base32 (80 bits).
 *
 * @example createId('child') → 'chd_7m2k9x4q1b8c0d5e'
 */
export function createId(kind: IdKind): string {
  const bytes = randomBytes(16);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${ID_PREFIXES[kind]}_${out}`;
}

/** True when `id` looks like an id of `kind` (cheap check before a database lookup). */
export function isIdOf(kind: IdKind, id: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9a-z]{16}$`).test(id);
}

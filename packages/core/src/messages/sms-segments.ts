/** How a message's characters travel: the 7-bit GSM alphabet, or UCS-2 (UTF-16) for anything else. */
export type SmsEncoding = 'gsm-7' | 'ucs-2';

/** How long a message is on the air. */
export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (an extension character counts 2), UTF-16 code units for UCS-2. */
  units: number;
  /** Parts the message is split into; 0 for an empty text. */
  segments: number;
  /** Units one part holds at this length: 160/70 for a single part, 153/67 for each part of a longer one. */
  unitsPerSegment: number;
}

/** The GSM 03.38 default alphabet (each one septet). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The GSM 03.38 extension table (an escape plus the character: two septets). */
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

const SINGLE = { 'gsm-7': 160, 'ucs-2': 70 } as const;
const PART = { 'gsm-7': 153, 'ucs-2': 67 } as const;

/**
 * Counts the SMS parts a text takes, the way carriers split it: GSM-7 when every character is in
 * the GSM alphabet (160 per message, 153 per part), otherwise UCS-2 (70 per message, 67 per part).
 * An extension character is never split from its escape, nor a surrogate pair across parts.
 *
 * @example smsSegments('验证码123456').encoding === 'ucs-2'
 */
export function smsSegments(text: string): SmsSegments {
  const chars = Array.from(text);
  const isGsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const encoding: SmsEncoding = isGsm ? 'gsm-7' : 'ucs-2';
  const sizes = chars.map((c) => (isGsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((sum, size) => sum + size, 0);
  if (units === 0) return { encoding, units, segments: 0, unitsPerSegment: SINGLE[encoding] };
  if (units <= SINGLE[encoding]) return { encoding, units, segments: 1, unitsPerSegment: SINGLE[encoding] };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > PART[encoding]) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, unitsPerSegment: PART[encoding] };
}

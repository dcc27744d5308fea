import { randomInt } from 'node:crypto';
import { hashToken } from '../../auth/tokens.ts';

/** How long a kiosk enrolment code works: 10 minutes. */
export const ENROLMENT_CODE_TTL_MS = 10 * 60_000;

/** Digits in an enrolment code: easy to type on a touch screen's number pad. */
export const ENROLMENT_CODE_DIGITS = 8;

/** A new one-time enrolment code, its hash (all we store) and when it expires. */
export interface IssuedEnrolmentCode {
  code: string;
  codeHash: string;
  expiresAt: Date;
}

/**
 * Issues an 8-digit code valid for {@link ENROLMENT_CODE_TTL_MS} from `now`. Wrong guesses are
 * throttled per address, so 10⁸ codes are plenty for a code that lives 10 minutes.
 *
 * @example issueEnrolmentCode(now) → { code: '48213907', codeHash: 'e3b0…', expiresAt }
 */
export function issueEnrolmentCode(now: Date): IssuedEnrolmentCode {
  const code = String(randomInt(0, 10 ** ENROLMENT_CODE_DIGITS)).padStart(ENROLMENT_CODE_DIGITS, '0');
  return { code, codeHash: hashToken(code), expiresAt: new Date(now.getTime() + ENROLMENT_CODE_TTL_MS) };
}

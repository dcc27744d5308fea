import { randomInt } from 'node:crypto';
import { type Contact, isContactApproved } from '@affection/core';
import { isErasedContactPhone } from '@affection/db';
import { hashToken } from '../../auth/tokens.ts';
import { ONE_TIME_CODE_DIGITS } from './family-settings.ts';

/**
 * The contact a phone number signs in as: an approved contact with that number, the most recently
 * approved when the number belongs to several (a parent who is a contact in two Homes); none when no
 * approved contact has it.
 */
export function pickFamilyContact(candidates: readonly Contact[]): Contact | undefined {
  return candidates
    .filter((contact) => isContactApproved(contact) && !isErasedContactPhone(contact.phone))
    .sort((a, b) => (b.approvedAt?.getTime() ?? 0) - (a.approvedAt?.getTime() ?? 0) || a.id.localeCompare(b.id))[0];
}

/** A new one-time code: {@link ONE_TIME_CODE_DIGITS} random digits, leading zeros kept. */
export function newOneTimeCode(): string {
  return String(randomInt(0, 10 ** ONE_TIME_CODE_DIGITS)).padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** What we store instead of a code: the SHA-256 of the code row's id and the code, so that equal codes differ. */
export function hashOneTimeCode(codeId: string, code: string): string {
  return hashToken(`${codeId}:${code}`);
}

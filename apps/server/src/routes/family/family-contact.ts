import { randomInt } from 'node:crypto';
import { type Contact, isContactApproved } from '@affection/core';
import { isErasedContactPhone } from '@affection/db';
import { hashToken } from '../../auth/tokens.ts';
import { ONE_TIME_CODE_DIGITS } from './family-settings.ts';

/**
 * The contacts a phone number may sign in as: every approved contact with that number, in any Home
 * (a parent of siblings in two schools is a contact in both), oldest first. None when no approved
 * contact has it. Which one a phone signs in as is the parent's choice, never ours.
 */
export function familyContactsOf(candidates: readonly Contact[]): Contact[] {
  return candidates
    .filter((contact) => isContactApproved(contact) && !isErasedContactPhone(contact.phone))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

/** A new one-time code: {@link ONE_TIME_CODE_DIGITS} random digits, leading zeros kept. */
export function newOneTimeCode(): string {
  return String(randomInt(0, 10 ** ONE_TIME_CODE_DIGITS)).padStart(ONE_TIME_CODE_DIGITS, '0');
}

/** What we store instead of a code: the SHA-256 of the code row's id and the code, so that equal codes differ. */
export function hashOneTimeCode(codeId: string, code: string): string {
  return hashToken(`${codeId}:${code}`);
}

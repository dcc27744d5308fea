import { type Contact, isContactApproved } from './records.ts';

/**
 * Erased contacts that must keep their row (a booking points at it) get a number under this prefix. Country code
 * 999 is reserved by the ITU and assigned to no one, so such a number can be neither rung nor texted, never matches
 * a caller, and `normalizePhone` rejects it, so staff can never type one in. It still passes the E.164 check the
 * table enforces.
 */
export const ERASED_PHONE_PREFIX = '+999';

/** True for the placeholder number of an erased contact: such a contact is shown nowhere and reached by no one. */
export function isErasedContactPhone(phone: string): boolean {
  return phone.startsWith(ERASED_PHONE_PREFIX);
}

/**
 * How we reach a contact: `sms` (a text), `call` (ringing their phone, bridging them into a call, or letting them
 * sign in or call in).
 */
export type ReachChannel = 'sms' | 'call';

/**
 * Whether we may reach a contact on a channel: approved (not revoked), their number not erased, and for `sms` not
 * opted out of SMS. Every "may we text / ring this parent" check asks this.
 *
 * @example canReachContact(contact, 'sms') // false once the parent replied STOP
 */
export function canReachContact(
  contact: Pick<Contact, 'approvedAt' | 'revokedAt' | 'phone' | 'smsOptOut'>,
  channel: ReachChannel,
): boolean {
  if (!isContactApproved(contact) || isErasedContactPhone(contact.phone)) return false;
  return channel === 'sms' ? !contact.smsOptOut : true;
}

/**
 * Who a call participant is. Identities are strings in rooms and tokens:
 * `kid:<childId>` (the kiosk), `parent:<contactId>` (the family page), `staff:<staffId>`
 * (a hidden observer) and `phone:<contactId>` (a contact rung on an ordinary phone).
 */
export type CallParticipantRole =
  | { role: 'child'; childId: string }
  | { role: 'parent'; contactId: string }
  | { role: 'staff'; staffId: string }
  | { role: 'phone'; contactId: string };

/** The device a participant joined from. */
export type CallParticipantKind = 'kiosk' | 'web' | 'phone';

const PREFIX = { child: 'kid', parent: 'parent', staff: 'staff', phone: 'phone' } as const;

/**
 * The room identity for a participant.
 *
 * @example participantIdentity({ role: 'child', childId: 'chd_1' }) === 'kid:chd_1'
 */
export function participantIdentity(who: CallParticipantRole): string {
  switch (who.role) {
    case 'child':
      return `${PREFIX.child}:${who.childId}`;
    case 'parent':
      return `${PREFIX.parent}:${who.contactId}`;
    case 'staff':
      return `${PREFIX.staff}:${who.staffId}`;
    case 'phone':
      return `${PREFIX.phone}:${who.contactId}`;
  }
}

/**
 * Reads an identity made by {@link participantIdentity}; `undefined` for anything else
 * (a participant we did not admit, or an empty id).
 *
 * @example parseParticipantIdentity('parent:cnt_9') // { role: 'parent', contactId: 'cnt_9' }
 */
export function parseParticipantIdentity(identity: string): CallParticipantRole | undefined {
  const colon = identity.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = identity.slice(0, colon);
  const id = identity.slice(colon + 1);
  if (id === '') return undefined;
  switch (prefix) {
    case PREFIX.child:
      return { role: 'child', childId: id };
    case PREFIX.parent:
      return { role: 'parent', contactId: id };
    case PREFIX.staff:
      return { role: 'staff', staffId: id };
    case PREFIX.phone:
      return { role: 'phone', contactId: id };
    default:
      return undefined;
  }
}

/**
 * The device a participant joined from, read from its identity: children join from the kiosk,
 * parents and staff from a browser, phone participants over SIP. `undefined` for identities we
 * did not issue.
 */
export function participantKindOf(identity: string): CallParticipantKind | undefined {
  const who = parseParticipantIdentity(identity);
  if (!who) return undefined;
  if (who.role === 'child') return 'kiosk';
  if (who.role === 'phone') return 'phone';
  return 'web';
}

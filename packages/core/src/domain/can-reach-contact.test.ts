import { describe, expect, it } from 'vitest';
import { canReachContact, ERASED_PHONE_PREFIX, isErasedContactPhone } from './can-reach-contact.ts';

const APPROVED = new Date('2026-09-01T00:00:00Z');
const contact = (change: Partial<Parameters<typeof canReachContact>[0]> = {}) => ({
  approvedAt: APPROVED,
  revokedAt: null,
  phone: '+8613800000001',
  smsOptOut: false,
  ...change,
});

describe('canReachContact', () => {
  it('texts and rings an approved contact', () => {
    expect(canReachContact(contact(), 'sms')).toBe(true);
    expect(canReachContact(contact(), 'call')).toBe(true);
  });

  it('rings but never texts a contact who opted out of SMS', () => {
    expect(canReachContact(contact({ smsOptOut: true }), 'sms')).toBe(false);
    expect(canReachContact(contact({ smsOptOut: true }), 'call')).toBe(true);
  });

  it('reaches no contact not yet approved, revoked, or erased', () => {
    for (const unreachable of [
      contact({ approvedAt: null }),
      contact({ revokedAt: new Date('2026-09-02T00:00:00Z') }),
      contact({ phone: `${ERASED_PHONE_PREFIX}0000000001` }),
    ]) {
      expect(canReachContact(unreachable, 'sms')).toBe(false);
      expect(canReachContact(unreachable, 'call')).toBe(false);
    }
    expect(isErasedContactPhone('+8613800000001')).toBe(false);
  });
});

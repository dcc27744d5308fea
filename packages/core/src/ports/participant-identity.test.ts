import { describe, expect, it } from 'vitest';
import { parseParticipantIdentity, participantIdentity, participantKindOf } from './participant-identity.ts';

describe('participant identities', () => {
  it('round-trips every role', () => {
    const roles = [
      { role: 'child', childId: 'chd_01J9' },
      { role: 'parent', contactId: 'cnt_7' },
      { role: 'staff', staffId: 'stf_3' },
      { role: 'phone', contactId: 'cnt_7' },
    ] as const;
    expect(roles.map(participantIdentity)).toEqual(['kid:chd_01J9', 'parent:cnt_7', 'staff:stf_3', 'phone:cnt_7']);
    for (const who of roles) expect(parseParticipantIdentity(participantIdentity(who))).toEqual(who);
  });

  it('keeps colons inside an id', () => {
    expect(parseParticipantIdentity('parent:cnt:9')).toEqual({ role: 'parent', contactId: 'cnt:9' });
  });

  it('reads nothing from identities we do not issue', () => {
    for (const identity of ['', 'kid', 'kid:', ':chd_1', 'teacher:stf_1', 'sip-participant']) {
      expect(parseParticipantIdentity(identity)).toBeUndefined();
      expect(participantKindOf(identity)).toBeUndefined();
    }
  });

  it('places children at the kiosk, parents and staff on the web, and phone calls on the phone', () => {
    expect(participantKindOf('kid:chd_1')).toBe('kiosk');
    expect(participantKindOf('parent:cnt_1')).toBe('web');
    expect(participantKindOf('staff:stf_1')).toBe('web');
    expect(participantKindOf('phone:cnt_1')).toBe('phone');
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_SMS_COUNTRY_POLICIES, smsPolicyFor } from './sms-country-policy.ts';

describe('smsPolicyFor', () => {
  it('allows neither links nor replies to mainland China by default', () => {
    expect(smsPolicyFor('+8613800138000')).toEqual({ allowsLinks: false, allowsReplies: false });
  });

  it('uses the fallback for a country with no entry', () => {
    expect(smsPolicyFor('+34612345678')).toEqual(DEFAULT_SMS_COUNTRY_POLICIES.fallback);
  });

  it('picks the longest calling code the number starts with', () => {
    const policies = {
      byCallingCode: {
        '1': { allowsLinks: true, allowsReplies: true },
        '1876': { allowsLinks: false, allowsReplies: true },
        '85': { allowsLinks: false, allowsReplies: false },
        '852': { allowsLinks: true, allowsReplies: false },
      },
      fallback: { allowsLinks: false, allowsReplies: false },
    };
    expect(smsPolicyFor('+12025550123', policies)).toEqual({ allowsLinks: true, allowsReplies: true });
    expect(smsPolicyFor('+18765550123', policies)).toEqual({ allowsLinks: false, allowsReplies: true });
    expect(smsPolicyFor('+85291234567', policies)).toEqual({ allowsLinks: true, allowsReplies: false });
    expect(smsPolicyFor('+85512345678', policies)).toEqual({ allowsLinks: false, allowsReplies: false });
  });

  it('gives a number that is not E.164 the strictest policy', () => {
    for (const phone of ['13800138000', '+86 138 0013 8000', '+0123456789', '']) {
      expect(smsPolicyFor(phone)).toEqual({ allowsLinks: false, allowsReplies: false });
    }
  });
});

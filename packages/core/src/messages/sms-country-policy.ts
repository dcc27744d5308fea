/** What SMS to one country may carry. */
export interface SmsCountryPolicy {
  /** Whether a message may contain a URL (mainland China: no, unregistered links are blocked). */
  allowsLinks: boolean;
  /** Whether a message may ask the recipient to reply (needs a two-way sender there). */
  allowsReplies: boolean;
}

/** Policies keyed by calling code without the plus (`'86'`, `'1'`, `'1876'` for Jamaica), and one for the rest. */
export interface SmsCountryPolicies {
  byCallingCode: Readonly<Record<string, SmsCountryPolicy>>;
  fallback: SmsCountryPolicy;
  /**
   * Countries whose messages go out only as registered templates (mainland China through Alibaba Cloud), and
   * the templates approved there. Unset: every message may go as rendered text.
   */
  templatesOnly?: {
    /** Calling codes without the plus, e.g. `['86']`. */
    callingCodes: readonly string[];
    /** The template keys that have an approved template code (`SmsTemplateKey`). */
    approved: readonly string[];
  };
}

/**
 * The policies used when none are configured: mainland China (+86) allows neither links nor
 * replies; elsewhere links are allowed and replies are not, until a country's two-way sender
 * is set up and listed here.
 */
export const DEFAULT_SMS_COUNTRY_POLICIES: SmsCountryPolicies = {
  byCallingCode: { '86': { allowsLinks: false, allowsReplies: false } },
  fallback: { allowsLinks: true, allowsReplies: false },
};

/**
 * The policy for an E.164 number: the entry with the longest calling code the number starts with,
 * or the fallback. A number that is not E.164 gets the strictest policy (no links, no replies).
 *
 * @example smsPolicyFor('+8613800138000').allowsLinks === false
 */
export function smsPolicyFor(
  phone: string,
  policies: SmsCountryPolicies = DEFAULT_SMS_COUNTRY_POLICIES,
): SmsCountryPolicy {
  if (!/^\+[1-9]\d{6,14}$/.test(phone)) return { allowsLinks: false, allowsReplies: false };
  const digits = phone.slice(1);
  for (let length = 4; length >= 1; length -= 1) {
    const policy = policies.byCallingCode[digits.slice(0, length)];
    if (policy) return policy;
  }
  return policies.fallback;
}

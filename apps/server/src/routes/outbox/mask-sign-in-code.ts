/** The template of a parent's sign-in code SMS (`renderSms` kind `one-time-code`). */
export const SIGN_IN_CODE_TEMPLATE = 'one-time-code';

/** Prefix of one-time code ids: older code messages carry the code's id as their dedupe key and no template. */
const CODE_ID_PREFIX = 'otc_';

/** What {@link maskSignInCode} looks at: the stored message's body, template and dedupe key. */
export interface CodeMessageFields {
  body: string;
  template: string | null;
  dedupeKey?: string | null;
}

/** Whether a stored message carries a parent's sign-in code. */
export function isSignInCodeMessage(message: Omit<CodeMessageFields, 'body'>): boolean {
  return message.template === SIGN_IN_CODE_TEMPLATE || (message.dedupeKey?.startsWith(CODE_ID_PREFIX) ?? false);
}

/**
 * The body of a message as a listing may show it: a sign-in code's digits become `•` (whoever reads
 * a code could sign in as that parent); every other message unchanged. Runs of 4 or more digits are
 * masked, so a code is hidden whatever the template's wording or language.
 *
 * @example maskSignInCode({ body: '验证码482913，10分钟内有效。', template: 'one-time-code' }) === '验证码••••••，10分钟内有效。'
 */
export function maskSignInCode(message: CodeMessageFields): string {
  if (!isSignInCodeMessage(message)) return message.body;
  return message.body.replace(/\d{4,}/g, (digits) => '•'.repeat(digits.length));
}

import { type SmsCountryPolicies, type SmsMessage, smsTemplateCallOf, smsTemplateRefusalOf } from '@affection/core';
import type { NewOutgoingSms } from '@affection/db';

/** `error_code` of a message refused at planning: its country takes only approved templates, and it has none. */
export const SMS_NO_APPROVED_TEMPLATE = 'no-approved-template';

/** Who a message goes to and from which Home, as {@link smsTemplateFieldsOf} needs them. */
export interface SmsTemplateFieldsContext {
  phone: string;
  timeZone: string;
  homeTimeZone: string;
  policies?: SmsCountryPolicies | undefined;
}

/**
 * The columns a stored message gets for a provider that sends only registered templates: the template and its
 * variables (always, so a provider configured later still finds them), and — where the number's country takes only
 * approved templates and this one has none or its variables break the rules — `failed` with
 * {@link SMS_NO_APPROVED_TEMPLATE} and the reason, so the console's outbox shows why it never left.
 */
export function smsTemplateFieldsOf(
  message: SmsMessage,
  context: SmsTemplateFieldsContext,
): Pick<NewOutgoingSms, 'templateParams' | 'status' | 'errorCode' | 'errorMessage'> {
  const call = smsTemplateCallOf(message, { timeZone: context.timeZone, homeTimeZone: context.homeTimeZone });
  const refusal = smsTemplateRefusalOf(context.phone, call, context.policies);
  const templateParams = { key: call.key, variables: call.variables };
  if (refusal === null) return { templateParams };
  return { templateParams, status: 'failed', errorCode: SMS_NO_APPROVED_TEMPLATE, errorMessage: refusal };
}

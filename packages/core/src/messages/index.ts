export { type RenderedSms, renderSms, type SmsRecipient, type SmsRenderContext } from './render-sms.ts';
export {
  ALIYUN_SEND_CAPS,
  type CappedSendClass,
  type CapWindow,
  describeCapWindow,
  longestCapWindowMs,
  type NextSendQuery,
  type NextSendVerdict,
  NO_SEND_CAPS,
  nextSendTime,
  type PastSend,
  type SendCap,
  type SendCapTable,
  smsSendClassOf,
} from './sms-caps.ts';
export {
  DEFAULT_SMS_COUNTRY_POLICIES,
  type SmsCountryPolicies,
  type SmsCountryPolicy,
  smsPolicyFor,
} from './sms-country-policy.ts';
export {
  SMS_LANGUAGES,
  SMS_MESSAGE_KINDS,
  SMS_REPLY_WORDS,
  type SmsCallChannel,
  type SmsLanguage,
  type SmsMessage,
  type SmsMessageKind,
  type SmsMessageOf,
} from './sms-message.ts';
export {
  SMS_TEMPLATE_KEYS,
  SMS_TEMPLATE_VARIABLE_MAX_LENGTH,
  type SmsTemplateCall,
  type SmsTemplateCallContext,
  type SmsTemplateKey,
  smsTemplateCallOf,
  smsTemplateCallProblems,
  smsTemplateRefusalOf,
  smsTemplateVariablesOf,
  ZH_CN_SMS_TEMPLATE_TEXTS,
} from './sms-provider-templates.ts';
export { type SmsEncoding, type SmsSegments, smsSegments } from './sms-segments.ts';
export {
  FINAL_SMS_STATUSES,
  type SmsMessageStatus,
  type SmsStatusUpdateState,
  smsStatusesBefore,
  smsStatusOfState,
} from './sms-status.ts';

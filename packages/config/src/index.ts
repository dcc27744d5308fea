export { ALIYUN_SMS_TEMPLATE_KEYS, type AliyunSmsConfig } from './aliyun-sms-config.ts';
export type { AliyunVoiceConfig } from './aliyun-voice-config.ts';
export { type Env, EnvSchema } from './config-schema.ts';
export {
  type AppConfig,
  ConfigError,
  type ConfigProblem,
  type LivekitConfig,
  loadConfig,
  type SipTrunksConfig,
  type SmsPolicyConfig,
  type SmsPolicyOverrides,
  type TwilioConfig,
} from './load-config.ts';

export { type AliyunSmsReport, parseAliyunSmsReports } from './aliyun/aliyun-sms-report.ts';
export {
  ALIYUN_SMS_ENDPOINT,
  AliyunSmsSender,
  type AliyunSmsSenderOptions,
  aliyunProviderIdOfOutId,
} from './aliyun/aliyun-sms-sender.ts';
export { type RoutedSmsProvider, RoutingSmsSender, type RoutingSmsSenderOptions } from './aliyun/routing-sms-sender.ts';
export {
  ALIYUN_VOICE_ENDPOINT,
  AliyunVoiceNotifier,
  type AliyunVoiceNotifierOptions,
  aliyunCalledNumberOf,
  voiceFailureFromAliyunCode,
} from './aliyun/voice-notifier.ts';
export { parseAliyunVoiceReports } from './aliyun/voice-report.ts';
export {
  LivekitCallRooms,
  type LivekitCallRoomsOptions,
} from './livekit/livekit-call-rooms.ts';
export {
  LivekitPhoneBridge,
  type LivekitPhoneBridgeOptions,
  ringOutcomeFromLivekitError,
} from './livekit/livekit-phone-bridge.ts';
export { type LivekitWebhookCheck, LivekitWebhookVerifier } from './livekit/livekit-webhook-verifier.ts';
export {
  type DispatchRuleOptions,
  type InboundTrunkOptions,
  type OutboundTrunkOptions,
  type ProvisionAction,
  type ProvisionSipOptions,
  type ProvisionSipResult,
  provisionSip,
} from './livekit/provision-sip.ts';
export { OutboxSmsSender, type OutboxSmsSenderOptions, outboxProviderId } from './outbox/outbox-sms-sender.ts';
export { OutboxVoiceNotifier } from './outbox/outbox-voice-notifier.ts';
export { smsFailureFromTwilioCode, smsFailureFromTwilioError } from './twilio/twilio-errors.ts';
export {
  deliveryStateFromTwilioStatus,
  TwilioSmsSender,
  type TwilioSmsSenderOptions,
} from './twilio/twilio-sms-sender.ts';
export { parseTwilioStatusCallback, type TwilioStatusUpdate } from './twilio/twilio-status-callback.ts';
export {
  createTwilioSignatureVerifier,
  type TwilioSignatureCheck,
  type TwilioSignatureVerifier,
  type TwilioWebhookRequest,
  verifyTwilioSignature,
} from './twilio/verify-twilio-signature.ts';

export {
  type CallParticipant,
  type CallRoom,
  type CallRoomEvent,
  type CallRoomEventType,
  type CallRooms,
  type CloseCallRoomResult,
  type IssueJoinTokenRequest,
  type JoinToken,
  type JoinTokenSubject,
  MAX_JOIN_TOKEN_TTL_SECONDS,
  type OpenCallRoomRequest,
} from './call-rooms.ts';
export {
  type CallParticipantKind,
  type CallParticipantRole,
  parseParticipantIdentity,
  participantIdentity,
  participantKindOf,
} from './participant-identity.ts';
export type {
  HangUpResult,
  PhoneBridge,
  RingFailureOutcome,
  RingPhoneRequest,
  RingPhoneResult,
} from './phone-bridge.ts';
export type {
  FindSentSmsRequest,
  FindSentSmsResult,
  SendSmsRequest,
  SendSmsResult,
  SmsDeliveryState,
  SmsFailure,
  SmsFailureKind,
  SmsFailureReason,
  SmsLookupFailure,
  SmsLookupResult,
  SmsProviderStatus,
  SmsSender,
} from './sms-sender.ts';
export { isTelephonyError, TelephonyError, type TelephonyErrorReason } from './telephony-error.ts';
export type {
  PlaceVoiceNotificationRequest,
  PlaceVoiceNotificationResult,
  VoiceCallReport,
  VoiceCallResult,
  VoiceFailure,
  VoiceFailureReason,
  VoiceNotificationPurpose,
  VoiceNotifier,
} from './voice-notifier.ts';

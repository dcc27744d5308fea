/**
 * What a voice notification is about. `parent-awaited`: the child is at the kiosk and the parent has not joined
 * ("孩子在学校等您…", with the call's time).
 */
export type VoiceNotificationPurpose = 'parent-awaited';

/** One text-to-speech notification call to place. */
export interface PlaceVoiceNotificationRequest {
  /** Callee in E.164 form, e.g. `+8613800138000`. */
  to: string;
  /** Our notification id (`vnt_…`): the provider keeps it (Aliyun's `OutId`) and hands it back in its report. */
  notificationId: string;
  /** Which approved TTS template is played. */
  purpose: VoiceNotificationPurpose;
  /** The template's variables by name, e.g. `{ name: '小明', time: '12:15' }`; plain text, no links. */
  variables: Readonly<Record<string, string>>;
}

/** Why a notification call was not placed, in our words rather than a provider's codes. */
export type VoiceFailureReason =
  | 'rate-limited'
  | 'provider-error'
  | 'timeout'
  | 'invalid-number'
  | 'template-error'
  | 'unknown';

/** A notification call the provider did not take. */
export interface VoiceFailure {
  /** Whether placing it again later may succeed. */
  kind: 'retryable' | 'permanent';
  reason: VoiceFailureReason;
  /** For logs and the console; never contains the phone number. */
  message: string;
  /**
   * True when the provider may have placed the call although we saw a failure (a timeout, a dropped connection,
   * a 5xx after the request left): do not place it again; wait for its report.
   */
  isAmbiguous: boolean;
  /** The provider's own error code, when it gave one (e.g. Aliyun `isv.BUSINESS_LIMIT_CONTROL`). */
  providerCode?: string;
}

/** The answer to {@link VoiceNotifier.place}. */
export type PlaceVoiceNotificationResult = { ok: true; callId: string } | { ok: false; failure: VoiceFailure };

/** How a notification call ended. */
export type VoiceCallResult = 'answered' | 'not-answered' | 'busy' | 'failed';

/** A provider's report of one notification call, in our words. */
export interface VoiceCallReport {
  /** The provider's call id (Aliyun `call_id`). */
  callId: string;
  /** Our notification id, when the provider gave it back (`out_id`). */
  notificationId: string | null;
  result: VoiceCallResult;
  /** The keys the callee pressed, e.g. `'1'`; null when none. */
  dtmf: string | null;
  /** The provider's status code, kept so a report is stored once per call and status. */
  providerStatus: string;
}

/**
 * Places text-to-speech notification calls to one number at a time (a recorded voice reads an approved template
 * with its variables; the callee can press a key). Expected failures are values, never thrown. The call's result
 * comes later, in the provider's report.
 *
 * @example
 * const placed = await voice.place({ to, notificationId: 'vnt_1', purpose: 'parent-awaited', variables });
 * if (!placed.ok && placed.failure.kind === 'retryable' && !placed.failure.isAmbiguous) retryLater();
 */
export interface VoiceNotifier {
  /** `outbox`: nothing leaves the machine (the row is the record); `aliyun`: Alibaba Cloud voice service. */
  readonly provider: 'outbox' | 'aliyun';
  /** Whether it calls this number (E.164) at all: Alibaba Cloud's voice notifications reach mainland numbers only. */
  canCall(to: string): boolean;
  place(request: PlaceVoiceNotificationRequest): Promise<PlaceVoiceNotificationResult>;
}

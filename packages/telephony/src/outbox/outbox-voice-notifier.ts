import type { PlaceVoiceNotificationRequest, PlaceVoiceNotificationResult, VoiceNotifier } from '@affection/core';

/**
 * The voice notifier without a provider: nothing leaves the machine. The notification's row (placed, provider
 * `outbox`, call id `outbox_<notification id>`) is the record staff see on the board; no report ever comes.
 */
export class OutboxVoiceNotifier implements VoiceNotifier {
  readonly provider = 'outbox' as const;

  /** Every number: nothing is called. */
  canCall(_to: string): boolean {
    return true;
  }

  async place(request: PlaceVoiceNotificationRequest): Promise<PlaceVoiceNotificationResult> {
    return { ok: true, callId: `outbox_${request.notificationId}` };
  }
}

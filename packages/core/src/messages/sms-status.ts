/** Where a stored message stands: ours to send (`pending`, `sending`), the provider's, or an inbound one. */
export type SmsMessageStatus =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'received'
  | 'cancelled';

/** A provider's delivery state of an outgoing message. */
export type SmsStatusUpdateState = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'canceled';

const STATUS_OF_STATE: Readonly<Record<SmsStatusUpdateState, SmsMessageStatus>> = {
  // Accepted by the provider but not yet on its way: for us the message is still being sent.
  queued: 'sending',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'cancelled',
};

/**
 * Our status for a provider's delivery state (`queued` is still `sending` for us; `canceled` is `cancelled`).
 *
 * @example smsStatusOfState('queued') === 'sending'
 */
export function smsStatusOfState(state: SmsStatusUpdateState): SmsMessageStatus {
  return STATUS_OF_STATE[state];
}

/** Statuses a message never leaves. */
export const FINAL_SMS_STATUSES: readonly SmsMessageStatus[] = [
  'delivered',
  'undelivered',
  'failed',
  'cancelled',
  'received',
];

const PROGRESS: readonly SmsMessageStatus[] = ['pending', 'sending', 'sent', 'delivered'];

/**
 * The statuses a message may move to `next` from: only forward along pending < sending < sent <
 * delivered, and into a failure (undelivered, failed, cancelled) from any status that is not final.
 * A final status (delivered, undelivered, failed, cancelled) never changes.
 *
 * @example smsStatusesBefore('sent') // ['pending', 'sending']
 */
export function smsStatusesBefore(next: SmsMessageStatus): SmsMessageStatus[] {
  if (next === 'received') return [];
  const rank = PROGRESS.indexOf(next);
  if (rank >= 0) return PROGRESS.slice(0, rank);
  return PROGRESS.filter((status) => !FINAL_SMS_STATUSES.includes(status));
}

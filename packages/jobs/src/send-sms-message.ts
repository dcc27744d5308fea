import {
  type SendSmsRequest,
  SMS_MESSAGE_KINDS,
  SMS_TEMPLATE_KEYS,
  type SmsFailure,
  type SmsSender,
} from '@affection/core';
import {
  claimSmsForSending,
  claimSmsWithinCaps,
  type Db,
  expireSms,
  getSmsForDispatch,
  isUniqueViolation,
  markSmsSendAmbiguous,
  recordSmsSendFailed,
  recordSmsSent,
  releaseSmsForRetry,
  SMS_AMBIGUOUS_SEND,
  type SmsMessageRecord,
  type SmsProviderName,
  takeOverSendingSms,
} from '@affection/db';
import type { SmsDispatchBatch } from './send-sms-batch.ts';
import { decideWithinCaps, SMS_CAP_HISTORY_MS, type SmsSendCapsFor } from './sms-caps-claim.ts';

/** What {@link sendSmsMessage} needs. */
export interface SendSmsMessageOptions {
  db: Db;
  sender: SmsSender;
  /** Recorded on each sent message (for a routing sender, the provider of the message's number). */
  provider: SmsProviderName | ((to: string) => SmsProviderName);
  now: () => Date;
  /** Where the provider reports delivery; the message id is added to it by the sender. */
  statusCallbackUrl?: string;
  /**
   * How long a claimed (`sending`) message belongs to its sender before anyone else may check it
   * with the provider and take it over. A send starts only in the first half of it, so keep it
   * longer than twice the sender's own timeout. Default 60 s (Twilio's timeout is 15 s).
   */
  sendLeaseMs?: number;
  /** After an ambiguous failure, how long to give the provider before asking it. Default 15 s. */
  ambiguousSettleMs?: number;
  /** How much earlier than its due time a job may send (clocks differ). Default 1 s. */
  earlyToleranceMs?: number;
  /**
   * The provider's per-number limits of a number (null: none). When given, a due message is claimed only within
   * them, counted from the database in one transaction per number: otherwise it is delayed, merged or dropped with
   * the reason noted (see `decideWithinCaps`). Default: no limits (Twilio, the outbox).
   */
  sendCapsFor?: SmsSendCapsFor;
  /**
   * Shares the claim and the record of a sent message with the other messages of this sender (see
   * `createSmsDispatchBatch`; built with the same `earlyToleranceMs`). Default: one statement each.
   */
  batch?: SmsDispatchBatch;
}

/** What happened to a message: the worker turns this into BullMQ's next step. */
export type SendSmsOutcome =
  /** The provider has it: sent now, or found at the provider after an ambiguous failure. */
  | { kind: 'sent'; providerId: string; via: 'send' | 'found' }
  /** Nothing to do: the message is gone, cancelled, failed or already sent. */
  | { kind: 'settled'; status: SmsMessageRecord['status'] | 'missing' }
  /** Not due yet: try again at `at`. */
  | { kind: 'not-due'; at: Date }
  /** Another sender holds it: look again at `at`. */
  | { kind: 'in-flight'; at: Date }
  /** The provider refused it for good; the message is `failed` with the reason. */
  | { kind: 'failed'; reason: string; message: string }
  /** Nothing went out: the message is `pending` again. `isRateLimited` for a 429. */
  | { kind: 'retry'; reason: string; message: string; isRateLimited: boolean; retryAfterMs?: number }
  /** The provider may have it: left `sending`, noted ambiguous; checked before any new send. */
  | { kind: 'ambiguous'; message: string; checkAfterMs: number };

interface Settings {
  sendLeaseMs: number;
  ambiguousSettleMs: number;
  earlyToleranceMs: number;
}

/** How far before the due time the provider's records are searched: a message never goes out before it. */
const FIND_SENT_MARGIN_MS = 60_000;

/**
 * Sends one stored outgoing message, exactly once:
 * 1. claims it (`pending` → `sending` in one statement; a second job for the same message gets nothing);
 * 2. sends it through the port and records the outcome: `sent` with the provider id; `failed` for a
 *    permanent refusal; back to `pending` when nothing can have gone out; left `sending` and noted
 *    ambiguous when the provider may have it;
 * 3. a `sending` message noted ambiguous (after a short settle time), or claimed so long ago that its
 *    sender must be gone, is taken over, and the provider is asked whether it has the message before
 *    anything is sent again.
 * A `cancelled` message is never sent, nor one whose `send_before` has come (it is cancelled as expired).
 * Never throws for an expected outcome.
 */
export async function sendSmsMessage(options: SendSmsMessageOptions, messageId: string): Promise<SendSmsOutcome> {
  const settings: Settings = {
    sendLeaseMs: options.sendLeaseMs ?? 60_000,
    ambiguousSettleMs: options.ambiguousSettleMs ?? 15_000,
    earlyToleranceMs: options.earlyToleranceMs ?? 1_000,
  };
  const now = options.now();
  if (options.sendCapsFor) {
    const capped = await claimSmsWithinCaps(options.db, messageId, {
      now,
      earlyMs: settings.earlyToleranceMs,
      historyMs: SMS_CAP_HISTORY_MS,
      inFlightMs: settings.sendLeaseMs / 2,
      decide: decideWithinCaps(options.sendCapsFor, now),
    });
    if (capped.kind === 'claimed') return sendClaimed(options, capped.message, settings);
    if (capped.kind === 'delayed') return { kind: 'not-due', at: capped.until };
    if (capped.kind === 'dropped') return { kind: 'settled', status: 'cancelled' };
  } else {
    const claimed = options.batch
      ? await options.batch.claim(messageId)
      : await claimSmsForSending(options.db, messageId, { now, earlyMs: settings.earlyToleranceMs });
    if (claimed) return sendClaimed(options, claimed, settings);
  }

  const current = await getSmsForDispatch(options.db, messageId);
  if (!current) return { kind: 'settled', status: 'missing' };
  if (current.status === 'pending' && isExpired(current, now)) return expire(options, current, now);
  if (current.status === 'pending') {
    if (current.dueAt.getTime() > now.getTime() + settings.earlyToleranceMs)
      return { kind: 'not-due', at: current.dueAt };
    // Claimed and given back between our two reads: look again shortly.
    return { kind: 'in-flight', at: new Date(now.getTime() + 1_000) };
  }
  if (current.status !== 'sending') return { kind: 'settled', status: current.status };

  const isAmbiguous = current.errorCode === SMS_AMBIGUOUS_SEND;
  const freeAt = current.updatedAt.getTime() + (isAmbiguous ? settings.ambiguousSettleMs : settings.sendLeaseMs);
  if (freeAt > now.getTime()) return { kind: 'in-flight', at: new Date(freeAt) };
  const taken = await takeOverSendingSms(options.db, messageId, { seenAttempts: current.attempts, now });
  if (!taken) return { kind: 'in-flight', at: new Date(now.getTime() + 1_000) };
  return resolveTakenOver(options, taken, settings);
}

function isExpired(message: SmsMessageRecord, now: Date): boolean {
  return message.sendBefore !== null && message.sendBefore.getTime() <= now.getTime();
}

/**
 * A message whose `send_before` has come is cancelled as expired instead of sent: a reminder of a call that is
 * over would only confuse. A `sending` one (taken over, and surely not at the provider) keeps its claim's
 * `attempts` as the guard against a second taker.
 */
async function expire(options: SendSmsMessageOptions, message: SmsMessageRecord, now: Date): Promise<SendSmsOutcome> {
  const expired = await expireSms(options.db, message.id, {
    now,
    ...(message.status === 'sending' ? { seenAttempts: message.attempts } : {}),
  });
  if (expired) return { kind: 'settled', status: 'cancelled' };
  return { kind: 'in-flight', at: new Date(now.getTime() + 1_000) };
}

/** A taken-over message may be at the provider already: find out before sending it again. */
async function resolveTakenOver(
  options: SendSmsMessageOptions,
  message: SmsMessageRecord,
  settings: Settings,
): Promise<SendSmsOutcome> {
  // A status callback may have named the message meanwhile (it carries our id).
  if (message.providerId) return recordFound(options, message, message.providerId, settings);
  if (!options.sender.findSent) {
    // This sender cannot be asked; it declares its sends never ambiguous, so sending again is safe.
    if (isExpired(message, options.now())) return expire(options, message, options.now());
    return sendClaimed(options, message, settings);
  }
  const found = await options.sender.findSent({
    to: message.toPhone,
    body: message.body,
    since: new Date(message.dueAt.getTime() - FIND_SENT_MARGIN_MS),
    idempotencyKey: message.id,
  });
  if (!found.ok) {
    const text = `Could not ask the provider whether it has the message: ${found.failure.message}`;
    await markSmsSendAmbiguous(options.db, message.id, {
      errorMessage: text,
      now: options.now(),
      seenAttempts: message.attempts,
    });
    return { kind: 'ambiguous', message: text, checkAfterMs: settings.ambiguousSettleMs };
  }
  if (found.providerId) return recordFound(options, message, found.providerId, settings);
  if (isExpired(message, options.now())) return expire(options, message, options.now());
  return sendClaimed(options, message, settings);
}

async function recordFound(
  options: SendSmsMessageOptions,
  message: SmsMessageRecord,
  providerId: string,
  settings: Settings,
): Promise<SendSmsOutcome> {
  try {
    await recordSmsSent(options.db, message.id, {
      provider: providerOf(options, message.toPhone),
      providerId,
      now: options.now(),
    });
  } catch (error) {
    // The provider's message is already another row's (same number and text): ours did not go out.
    if (isUniqueViolation(error)) return sendClaimed(options, message, settings);
    throw error;
  }
  return { kind: 'sent', providerId, via: 'found' };
}

/** Sends a message this caller holds (`sending`, its `attempts` read) and records the outcome. */
async function sendClaimed(
  options: SendSmsMessageOptions,
  message: SmsMessageRecord,
  settings: Settings,
): Promise<SendSmsOutcome> {
  // Fence: a send must start in the first half of the claim's lease, so that it is over (the
  // provider's own timeout being shorter than half the lease) before anyone may take the message
  // over. A sender that stalled that long (a slow database, a starved process) leaves the message
  // to the takeover, which asks the provider first. Checking here is not enough: the process may
  // stall again between this check and the request leaving, so the window's end goes with the
  // request (`notAfter`) and the adapter checks it again at its last step before the wire; past it,
  // nothing is sent and the message is given back (unless someone took it over meanwhile).
  const claimedAt = message.updatedAt.getTime();
  const notAfter = new Date(claimedAt + settings.sendLeaseMs / 2);
  if (options.now().getTime() > notAfter.getTime()) {
    return { kind: 'in-flight', at: new Date(claimedAt + settings.sendLeaseMs) };
  }
  const result = await options.sender.send({
    to: message.toPhone,
    body: message.body,
    idempotencyKey: message.id,
    notAfter,
    ...(message.homeId ? { homeId: message.homeId } : {}),
    ...(options.statusCallbackUrl ? { statusCallbackUrl: options.statusCallbackUrl } : {}),
    ...templateOfMessage(message),
  });
  const now = options.now();
  if (result.ok) {
    const sent = { provider: providerOf(options, message.toPhone), providerId: result.providerId, now };
    if (options.batch) await options.batch.recordSent({ id: message.id, ...sent });
    else await recordSmsSent(options.db, message.id, sent);
    return { kind: 'sent', providerId: result.providerId, via: 'send' };
  }
  const { failure } = result;
  if (failure.kind === 'permanent') {
    await recordSmsSendFailed(options.db, message.id, {
      errorCode: failure.reason,
      errorMessage: failure.message,
      now,
    });
    return { kind: 'failed', reason: failure.reason, message: failure.message };
  }
  if (failure.isAmbiguous) {
    await markSmsSendAmbiguous(options.db, message.id, {
      errorMessage: failure.message,
      now,
      seenAttempts: message.attempts,
    });
    return { kind: 'ambiguous', message: failure.message, checkAfterMs: settings.ambiguousSettleMs };
  }
  await releaseSmsForRetry(options.db, message.id, {
    errorCode: failure.reason,
    errorMessage: failure.message,
    now,
    seenAttempts: message.attempts,
  });
  return retryOf(failure);
}

/** The provider a message's number goes to. */
function providerOf(options: SendSmsMessageOptions, to: string): SmsProviderName {
  return typeof options.provider === 'function' ? options.provider(to) : options.provider;
}

/** The kind and registered template stored with a message, for a provider that sends only templates. */
function templateOfMessage(message: SmsMessageRecord): Pick<SendSmsRequest, 'kind' | 'template'> {
  const kind = SMS_MESSAGE_KINDS.find((k) => k === message.template);
  const key = SMS_TEMPLATE_KEYS.find((k) => k === message.templateParams?.key);
  return {
    ...(kind ? { kind } : {}),
    ...(key && message.templateParams ? { template: { key, variables: message.templateParams.variables } } : {}),
  };
}

function retryOf(failure: SmsFailure): SendSmsOutcome {
  return {
    kind: 'retry',
    reason: failure.reason,
    message: failure.message,
    isRateLimited: failure.reason === 'rate-limited',
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  };
}

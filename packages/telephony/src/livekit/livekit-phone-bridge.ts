import {
  type HangUpResult,
  type PhoneBridge,
  participantIdentity,
  type RingFailureOutcome,
  type RingPhoneRequest,
  type RingPhoneResult,
} from '@affection/core';
import { RoomServiceClient, ServerError, SipClient } from 'livekit-server-sdk';
import {
  isLivekitTimeout,
  livekitStatusOf,
  requireLivekitCredentials,
  scrubLivekitMessage,
  telephonyErrorFromLivekit,
} from './livekit-errors.ts';

/** Options for {@link LivekitPhoneBridge}. */
export interface LivekitPhoneBridgeOptions {
  /** The LiveKit server, `http(s)://` or `ws(s)://`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** `ST_…`: the outbound trunk to dial through (see `provisionSip`). */
  outboundTrunkId: string;
  /** Caller ID to present; default the trunk's number. */
  fromNumber?: string;
  /** Seconds added to the ringing timeout before the API call itself gives up. Default 15. */
  requestMarginSeconds?: number;
}

type RingFailure = Extract<RingPhoneResult, { outcome: RingFailureOutcome }>;

/** SIP final responses and what they mean for the parent. */
const SIP_OUTCOMES: Readonly<Record<number, { outcome: RingFailureOutcome; isRetryable: boolean }>> = {
  486: { outcome: 'busy', isRetryable: true }, // Busy Here
  600: { outcome: 'busy', isRetryable: true }, // Busy Everywhere
  480: { outcome: 'no-answer', isRetryable: true }, // Temporarily Unavailable
  408: { outcome: 'no-answer', isRetryable: true }, // Request Timeout (rang out)
  487: { outcome: 'no-answer', isRetryable: true }, // Request Terminated (we stopped ringing)
  603: { outcome: 'declined', isRetryable: false }, // Decline: do not ring again in this slot
  403: { outcome: 'not-permitted', isRetryable: false }, // Forbidden (trunk may not call there)
  404: { outcome: 'failed', isRetryable: false }, // Not Found: no such number
  484: { outcome: 'failed', isRetryable: false }, // Address Incomplete
  604: { outcome: 'failed', isRetryable: false }, // Does Not Exist Anywhere
};

/**
 * The outcome of a failed `createSipParticipant`. SIP statuses come in the error's metadata;
 * without one, the Twirp status tells whether phone calling is set up at all.
 */
export function ringOutcomeFromLivekitError(error: unknown): RingFailure {
  const metadata = error instanceof ServerError ? error.metadata : undefined;
  const sipStatusCode = metadata?.sip_status_code ? Number(metadata.sip_status_code) : undefined;
  const message = error instanceof Error ? scrubLivekitMessage(error.message) : String(error);
  if (sipStatusCode !== undefined && Number.isFinite(sipStatusCode)) {
    const known = SIP_OUTCOMES[sipStatusCode] ?? { outcome: 'failed', isRetryable: sipStatusCode >= 500 };
    return {
      ...known,
      sipStatusCode,
      message: `SIP ${sipStatusCode}${metadata?.sip_status ? ` ${metadata.sip_status}` : ''}`,
    };
  }
  const status = livekitStatusOf(error);
  if (status !== undefined && error instanceof ServerError) {
    // No SIP service connected to the server: 503 "no response from servers".
    if (status === 503 || error.code === 'unavailable') {
      return { outcome: 'unavailable', isRetryable: true, message: `No SIP service answered: ${message}` };
    }
    // No such trunk, or SIP not set up on the server at all (it keeps SIP state in Redis).
    if ((status === 404 && /trunk/i.test(message)) || /sip not connected|redis required/i.test(message)) {
      return { outcome: 'unavailable', isRetryable: false, message: `Phone calls are not set up: ${message}` };
    }
    return { outcome: 'failed', isRetryable: status >= 500, message: `LiveKit HTTP ${status}: ${message}` };
  }
  if (isLivekitTimeout(error)) {
    return { outcome: 'failed', isRetryable: true, message: 'LiveKit did not answer before the ringing timeout' };
  }
  return { outcome: 'failed', isRetryable: true, message: `LiveKit could not be reached: ${message}` };
}

/**
 * {@link PhoneBridge} over LiveKit SIP: dials the contact through an outbound trunk into the
 * booking's room as `phone:<contactId>`, with the phone number hidden from the room. Every
 * outcome is a value; throws only at construction when options are missing.
 */
export class LivekitPhoneBridge implements PhoneBridge {
  readonly #sip: SipClient;
  readonly #rooms: RoomServiceClient;
  readonly #trunkId: string;
  readonly #fromNumber: string | undefined;
  readonly #marginSeconds: number;

  constructor(options: LivekitPhoneBridgeOptions) {
    const { url, apiKey, apiSecret } = requireLivekitCredentials('LivekitPhoneBridge', options);
    if (!options.outboundTrunkId) throw new Error('LivekitPhoneBridge: outboundTrunkId required');
    this.#sip = new SipClient(url, apiKey, apiSecret, { failover: false });
    this.#rooms = new RoomServiceClient(url, apiKey, apiSecret, { failover: false });
    this.#trunkId = options.outboundTrunkId;
    this.#fromNumber = options.fromNumber;
    this.#marginSeconds = options.requestMarginSeconds ?? 15;
  }

  async ring(request: RingPhoneRequest): Promise<RingPhoneResult> {
    const identity = participantIdentity({ role: 'phone', contactId: request.contactId });
    try {
      const info = await this.#sip.createSipParticipant(this.#trunkId, request.to, request.bookingId, {
        participantIdentity: identity,
        ...(request.displayName ? { participantName: request.displayName } : {}),
        ...(this.#fromNumber ? { fromNumber: this.#fromNumber } : {}),
        ringingTimeout: request.ringingTimeoutSeconds,
        maxCallDuration: request.maxDurationSeconds,
        waitUntilAnswered: true,
        hidePhoneNumber: true,
        timeout: request.ringingTimeoutSeconds + this.#marginSeconds,
      });
      return { outcome: 'answered', participantIdentity: info.participantIdentity || identity, callId: info.sipCallId };
    } catch (error) {
      return ringOutcomeFromLivekitError(error);
    }
  }

  async hangUp(request: { bookingId: string; contactId: string }): Promise<HangUpResult> {
    const identity = participantIdentity({ role: 'phone', contactId: request.contactId });
    try {
      await this.#rooms.removeParticipant(request.bookingId, identity);
      return { ok: true };
    } catch (error) {
      if (livekitStatusOf(error) === 404) return { ok: false, reason: 'not-in-call' };
      throw telephonyErrorFromLivekit(error, `hang up ${identity}`);
    }
  }
}

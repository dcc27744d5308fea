/** What to ring. */
export interface RingPhoneRequest {
  /** The booking whose room the call joins. */
  bookingId: string;
  /** `cnt_…`: the contact being rung; their identity in the room is `phone:<contactId>`. */
  contactId: string;
  /** The contact's phone in E.164 form. */
  to: string;
  /** Seconds to let it ring before giving up. */
  ringingTimeoutSeconds: number;
  /** Hard limit on the call's length in seconds (the slot's end). */
  maxDurationSeconds: number;
  /** Name the others in the room see, e.g. "妈妈". */
  displayName?: string;
}

/** Why ringing did not end in an answered call. */
export type RingFailureOutcome =
  | 'busy'
  | 'no-answer'
  | 'declined'
  | 'not-permitted'
  /** Phone calling is not set up: no SIP service, or no trunk. */
  | 'unavailable'
  | 'failed';

/** The answer to {@link PhoneBridge.ring}. */
export type RingPhoneResult =
  | { outcome: 'answered'; participantIdentity: string; callId: string }
  | {
      outcome: RingFailureOutcome;
      /** The SIP status the far end answered with, when there was one (486, 480, 603…). */
      sipStatusCode?: number;
      /** Whether ringing again later may succeed. */
      isRetryable: boolean;
      /** For logs; never contains the phone number. */
      message: string;
    };

/** The answer to {@link PhoneBridge.hangUp}. */
export type HangUpResult = { ok: true } | { ok: false; reason: 'not-in-call' };

/**
 * Rings a contact's ordinary phone and bridges it into a booking's room. Every outcome of the
 * call, including "phone calling is not available", is a value; only `hangUp` throws
 * `TelephonyError`, when the provider itself fails.
 */
export interface PhoneBridge {
  /** Rings and waits until the phone is answered or ringing ends. */
  ring(request: RingPhoneRequest): Promise<RingPhoneResult>;
  /** Ends a phone participant's call. */
  hangUp(request: { bookingId: string; contactId: string }): Promise<HangUpResult>;
}

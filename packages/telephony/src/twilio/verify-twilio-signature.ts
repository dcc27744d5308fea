// The SDK's webhook helpers alone: the package's entry loads the whole REST client (some 30 MB), which a server
// that only checks signatures does not need.
import { getSignatureAlgorithm, HMAC_SHA1, HMAC_SHA256, validateRequest } from 'twilio/lib/webhooks/webhooks.js';

const SUPPORTED_ALGORITHMS = new Set([HMAC_SHA1, HMAC_SHA256]);

/** What a Twilio webhook request carries that the signature covers. */
export interface TwilioWebhookRequest {
  /** The full public URL Twilio posted to, with its query string, as configured at Twilio. */
  url: string;
  /** The decoded form fields of the body (`application/x-www-form-urlencoded`). */
  params: Readonly<Record<string, string | readonly string[]>>;
  /** The `X-Twilio-Signature` header. */
  signature: string | undefined;
  /** The `X-Twilio-Webhooks-Signature-Settings` header, when Twilio sent one (selects HMAC-SHA256). */
  signatureSettings?: string | undefined;
}

/** The answer to {@link TwilioSignatureVerifier.verify}. */
export type TwilioSignatureCheck = { ok: true } | { ok: false; reason: 'missing-signature' | 'invalid-signature' };

/** Checks Twilio webhook signatures with one auth token. */
export interface TwilioSignatureVerifier {
  verify(request: TwilioWebhookRequest): TwilioSignatureCheck;
}

/**
 * Checks `X-Twilio-Signature` with the SDK's `validateRequest` (an HMAC of the URL and the
 * sorted form fields, keyed by the auth token). Call it before reading anything from the request.
 *
 * @example verifyTwilioSignature(authToken, { url, params, signature: c.req.header('X-Twilio-Signature') }).ok
 */
export function verifyTwilioSignature(authToken: string, request: TwilioWebhookRequest): TwilioSignatureCheck {
  if (!request.signature) return { ok: false, reason: 'missing-signature' };
  const algorithm = getSignatureAlgorithm(request.signatureSettings);
  // The SDK prints an unknown algorithm — text the caller chose — to the console; refuse it before asking.
  if (!SUPPORTED_ALGORITHMS.has(algorithm.toUpperCase())) return { ok: false, reason: 'invalid-signature' };
  const isValid = validateRequest(authToken, request.signature, request.url, { ...request.params }, algorithm);
  return isValid ? { ok: true } : { ok: false, reason: 'invalid-signature' };
}

/**
 * {@link verifyTwilioSignature} bound to one auth token, checked once at start-up: throws at
 * once when the token is missing.
 *
 * @example
 * const verifier = createTwilioSignatureVerifier({ authToken });
 * if (!verifier.verify({ url, params, signature: c.req.header('X-Twilio-Signature') }).ok) return c.text('', 403);
 */
export function createTwilioSignatureVerifier(options: { authToken: string }): TwilioSignatureVerifier {
  const { authToken } = options;
  if (!authToken) throw new Error('createTwilioSignatureVerifier: authToken is required');
  return { verify: (request) => verifyTwilioSignature(authToken, request) };
}

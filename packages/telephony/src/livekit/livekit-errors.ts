import { TelephonyError, type TelephonyErrorReason } from '@affection/core';
import { ServerError } from 'livekit-server-sdk';

/** Removes JWTs from vendor messages (LiveKit echoes the refused token in its 401 text). */
export function scrubLivekitMessage(message: string): string {
  return message.replace(/eyJ[\w-]*\.[\w-]+\.[\w-]+/g, '<token>');
}

function reasonForStatus(status: number): TelephonyErrorReason {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status >= 500) return 'provider-error';
  return 'invalid-request';
}

/** The HTTP status of a LiveKit server error, or `undefined` for anything else. */
export function livekitStatusOf(error: unknown): number | undefined {
  return error instanceof ServerError ? error.status : undefined;
}

/** True when the SDK gave up waiting (its request timeout fired). */
export function isLivekitTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/**
 * Our {@link TelephonyError} for whatever the LiveKit SDK threw while doing `action`
 * (e.g. "create room bkg_1"): Twirp errors by HTTP status, timeouts, and network failures.
 */
export function telephonyErrorFromLivekit(error: unknown, action: string): TelephonyError {
  const provider = 'livekit';
  if (error instanceof ServerError) {
    const code = error.code ? ` ${error.code}` : '';
    return new TelephonyError(
      reasonForStatus(error.status),
      `LiveKit refused to ${action} (HTTP ${error.status}${code}): ${scrubLivekitMessage(error.message)}`,
      { provider, cause: error },
    );
  }
  if (isLivekitTimeout(error)) {
    return new TelephonyError('timeout', `LiveKit did not answer in time to ${action}`, { provider, cause: error });
  }
  const detail = error instanceof Error ? scrubLivekitMessage(error.message) : String(error);
  return new TelephonyError('unreachable', `LiveKit could not be reached to ${action}: ${detail}`, {
    provider,
    cause: error,
  });
}

/** Checks required options once, at construction: throws naming every missing one. */
export function requireOptions<K extends string>(
  owner: string,
  options: Partial<Record<K, string>>,
  keys: readonly K[],
): Record<K, string> {
  const missing = keys.filter((key) => !options[key]);
  if (missing.length > 0) throw new Error(`${owner}: ${missing.join(', ')} required`);
  return options as Record<K, string>;
}

/** Checks LiveKit credentials once, at construction; the URL may be `http(s)://` or `ws(s)://`. */
export function requireLivekitCredentials(
  owner: string,
  options: { url?: string; apiKey?: string; apiSecret?: string },
): { url: string; apiKey: string; apiSecret: string } {
  const { url, apiKey, apiSecret } = requireOptions(owner, options, ['url', 'apiKey', 'apiSecret']);
  if (!/^(https?|wss?):\/\//.test(url)) throw new Error(`${owner}: url must start with http(s):// or ws(s)://`);
  return { url: url.replace(/^ws/, 'http'), apiKey, apiSecret };
}

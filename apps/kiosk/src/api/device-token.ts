const KEY = 'affection.kiosk.deviceToken';
/** Set when the server stopped knowing this kiosk, so a restart still says why it asks for a code. */
const SIGNED_OUT_KEY = 'affection.kiosk.signedOut';

/** The kiosk's device token from enrolment, or null before enrolment (or after it was revoked). */
export function readDeviceToken(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Keeps the device token across restarts of the kiosk browser. */
export function saveDeviceToken(token: string): void {
  localStorage.setItem(KEY, token);
  localStorage.removeItem(SIGNED_OUT_KEY);
}

/** Forgets the device token (it was revoked) and remembers that it was, until the next enrolment. */
export function clearDeviceToken(): void {
  try {
    localStorage.removeItem(KEY);
    localStorage.setItem(SIGNED_OUT_KEY, '1');
  } catch {
    // Storage unavailable: nothing was kept.
  }
}

/** True when this kiosk lost its enrolment (revoked or re-coded) and has not been enrolled again. */
export function wasSignedOut(): boolean {
  try {
    return localStorage.getItem(SIGNED_OUT_KEY) === '1';
  } catch {
    return false;
  }
}

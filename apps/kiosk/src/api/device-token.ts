const KEY = 'affection.kiosk.deviceToken';

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
}

/** Forgets the device token (it was revoked). */
export function clearDeviceToken(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Storage unavailable: nothing was kept.
  }
}

/** Staff session cookie name. */
export const STAFF_COOKIE = 'ap_session';

/** Staff sessions end after this long without a request. */
export const STAFF_IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** …and after this long in any case. */
export const STAFF_ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/** `last_seen_at` is written at most this often per session. */
export const STAFF_TOUCH_EVERY_MS = 60 * 1000;

/** Header a console page sends with every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * A provider's per-number limits, known before sending: a message that would pass one is delayed
 * (or merged, or dropped), never sent to be refused.
 *
 * Every limit is "at most `limit` sends in any `windowMs`" — a sliding window. A provider that counts
 * by calendar hour or day is never exceeded either: a calendar day is one of the sliding 24-hour windows.
 */

/** What kind of send a limit counts: SMS notifications, SMS verification codes, voice notifications. */
export type CappedSendClass = 'sms-notification' | 'sms-verification-code' | 'voice-notification';

/** At most `limit` sends in any window of `windowMs` milliseconds. */
export interface CapWindow {
  windowMs: number;
  limit: number;
}

/** The limits of one class of send, and which earlier sends count towards them. */
export interface SendCap {
  /**
   * `number`: every earlier send of the class to the number counts. `number-and-template`: only those with the same
   * template (the provider counts per signature + template + number; a caller with signatures per Home passes only
   * the sends under the same signature).
   */
  scope: 'number' | 'number-and-template';
  windows: readonly CapWindow[];
}

/** The limits of a provider, by class of send; a class without an entry has none. */
export type SendCapTable = Readonly<Partial<Record<CappedSendClass, SendCap>>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Alibaba Cloud's documented per-number limits: SMS notifications 50 a day per signature + template + number;
 * verification codes 1 a minute, 5 an hour, 10 a day per number; voice notifications 1 a minute, 5 an hour,
 * 20 a day per number.
 */
export const ALIYUN_SEND_CAPS: SendCapTable = {
  'sms-notification': { scope: 'number-and-template', windows: [{ windowMs: DAY, limit: 50 }] },
  'sms-verification-code': {
    scope: 'number',
    windows: [
      { windowMs: MINUTE, limit: 1 },
      { windowMs: HOUR, limit: 5 },
      { windowMs: DAY, limit: 10 },
    ],
  },
  'voice-notification': {
    scope: 'number',
    windows: [
      { windowMs: MINUTE, limit: 1 },
      { windowMs: HOUR, limit: 5 },
      { windowMs: DAY, limit: 20 },
    ],
  },
};

/** Twilio and the database outbox: no per-number limit of the provider's. */
export const NO_SEND_CAPS: SendCapTable = {};

/** The class of an SMS by its message kind (the `template` of a stored message): the sign-in code is a verification code. */
export function smsSendClassOf(kind: string): CappedSendClass {
  return kind === 'one-time-code' ? 'sms-verification-code' : 'sms-notification';
}

/** A send already made, or planned, to the number. */
export interface PastSend {
  at: Date;
  sendClass: CappedSendClass;
  /** The template (our message kind); counted for `number-and-template` limits only when equal. */
  template?: string | null;
}

/** The send to place: its class, template, and the earliest instant it is wanted. */
export interface NextSendQuery {
  sendClass: CappedSendClass;
  template?: string | null;
  notBefore: Date;
}

/** When a send may go, and the window that held it back (null when it may go when wanted). */
export interface NextSendVerdict {
  at: Date;
  limitedBy: CapWindow | null;
}

/** The longest window of a table: sends older than this never count. */
export function longestCapWindowMs(caps: SendCapTable): number {
  let longest = 0;
  for (const cap of Object.values(caps)) for (const w of cap?.windows ?? []) longest = Math.max(longest, w.windowMs);
  return longest;
}

/**
 * The earliest instant at or after `query.notBefore` at which one more send keeps every window of its class
 * within its limit, counting the sends made or planned (`history`, in any order, before or after it).
 *
 * @example
 * nextSendTime(ALIYUN_SEND_CAPS, [{ at: t, sendClass: 'sms-verification-code' }],
 *   { sendClass: 'sms-verification-code', notBefore: t }).at; // t + 1 minute
 */
export function nextSendTime(caps: SendCapTable, history: readonly PastSend[], query: NextSendQuery): NextSendVerdict {
  const cap = caps[query.sendClass];
  const wanted = query.notBefore.getTime();
  if (!cap || cap.windows.length === 0) return { at: query.notBefore, limitedBy: null };
  const counted = history
    .filter(
      (send) =>
        send.sendClass === query.sendClass &&
        (cap.scope === 'number' || (send.template ?? null) === (query.template ?? null)),
    )
    .map((send) => send.at.getTime())
    .sort((a, b) => a - b);
  // The answer is `wanted` or an instant where a counted send leaves a window (its time + the window).
  const candidates = new Set<number>([wanted]);
  for (const t of counted) for (const w of cap.windows) if (t + w.windowMs > wanted) candidates.add(t + w.windowMs);
  let firstLimit: CapWindow | null = null;
  for (const c of [...candidates].sort((a, b) => a - b)) {
    const blocking = cap.windows.find((w) => !fitsWindow(counted, c, w));
    if (!blocking) return { at: new Date(c), limitedBy: firstLimit };
    firstLimit ??= blocking;
  }
  // Unreachable: past the last send plus the longest window, every window is empty.
  throw new Error('nextSendTime: no instant found');
}

/**
 * Whether one more send at `c` keeps every window `[x, x + windowMs)` that holds it within `limit`. The fullest
 * such window starts at `c` or at a counted send in `(c − windowMs, c]`.
 */
function fitsWindow(sortedTimes: readonly number[], c: number, w: CapWindow): boolean {
  const starts = [c, ...sortedTimes.filter((t) => t > c - w.windowMs && t <= c)];
  for (const x of starts) {
    let inWindow = 0;
    for (const t of sortedTimes) if (t >= x && t < x + w.windowMs) inWindow += 1;
    if (inWindow + 1 > w.limit) return false;
  }
  return true;
}

/** A short text for a limit, in words a console shows: `5 an hour`, `1 a minute`, `50 a day`. */
export function describeCapWindow(w: CapWindow): string {
  const unit =
    w.windowMs === DAY
      ? 'a day'
      : w.windowMs === HOUR
        ? 'an hour'
        : w.windowMs === MINUTE
          ? 'a minute'
          : `per ${Math.round(w.windowMs / 1000)} s`;
  return `${w.limit} ${unit}`;
}

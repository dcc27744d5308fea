import { randomUUID } from 'node:crypto';
import { ALIYUN_SEND_CAPS, type CapWindow, nextSendTime, type PastSend } from '@affection/core';
import type { Redis } from 'ioredis';

/**
 * The sign-in code's limits per number: the SMS providers' limits for verification codes (Alibaba Cloud: 1 a
 * minute, 5 an hour, 10 a day), applied whichever provider sends, so that no code is asked for that the provider
 * would refuse.
 */
export const SIGN_IN_CODE_WINDOWS: readonly CapWindow[] = ALIYUN_SEND_CAPS['sms-verification-code']?.windows ?? [];

/** Whether a code may be sent to a number now; either way, how long until the next one may be. */
export type CodeSendVerdict =
  /** Counted. `nextInMs`: how long until another code may be asked for this number (0: at once). */
  | { allowed: true; nextInMs: number }
  /** Not counted: the next code may be asked in `retryInMs`, held back by `limitedBy`. */
  | { allowed: false; retryInMs: number; limitedBy: CapWindow };

/**
 * Sliding-window log per number, in one Lua script so that replicas and parallel requests cannot slip past a limit.
 * ARGV: now (ms), the longest window, a fresh member, then window and limit pairs. Returns
 * `{ allowed (0|1), wait ms, index of the window that waits (1-based, 0 none) }`; `wait` is, when allowed, until the
 * next send after this one.
 */
const ADMIT_SCRIPT = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local longest = tonumber(ARGV[2])
local member = ARGV[3]
local n = (#ARGV - 3) / 2
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
local function waitFor()
  local wait, which = 0, 0
  for i = 1, n do
    local w = tonumber(ARGV[2 + 2 * i])
    local limit = tonumber(ARGV[3 + 2 * i])
    local inWindow = redis.call('ZRANGEBYSCORE', key, '(' .. (now - w), '+inf', 'WITHSCORES')
    local count = #inWindow / 2
    if count >= limit then
      local leaving = tonumber(inWindow[2 * (count - limit + 1)])
      local free = leaving + w - now
      if free > wait then wait, which = free, i end
    end
  end
  return wait, which
end
local wait, which = waitFor()
if wait > 0 then return {0, wait, which} end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, longest)
local nextWait, nextWhich = waitFor()
return {1, nextWait, nextWhich}
`;

/**
 * Counts the sign-in codes sent to each number against {@link SIGN_IN_CODE_WINDOWS}, on Redis (shared by every
 * replica), by the app's clock. The provider's windows slide (a calendar day is one of them), so the counts are a
 * log of send times rather than rate-limiter-flexible's fixed windows, which would let 9 codes through in 8
 * minutes across an hour's boundary. While Redis cannot be reached the log is kept in this process, as the other
 * limits of the family throttle do.
 */
export class CodeSendLimits {
  readonly windows: readonly CapWindow[];
  readonly #redis: Redis;
  readonly #keyPrefix: string;
  readonly #longestMs: number;
  readonly #local = new Map<string, number[]>();

  constructor(redis: Redis, options: { keyPrefix: string; windows?: readonly CapWindow[] }) {
    this.windows = options.windows ?? SIGN_IN_CODE_WINDOWS;
    if (this.windows.length === 0) throw new Error('CodeSendLimits: at least one window is needed');
    for (const w of this.windows) {
      if (!(Number.isInteger(w.windowMs) && w.windowMs > 0 && Number.isInteger(w.limit) && w.limit > 0)) {
        throw new Error(`CodeSendLimits: a window needs a positive whole length and limit, got ${JSON.stringify(w)}`);
      }
    }
    this.#redis = redis;
    this.#keyPrefix = options.keyPrefix;
    this.#longestMs = Math.max(...this.windows.map((w) => w.windowMs));
  }

  /** Counts a code for `numberKey` (already hashed) at `at` when every window has room; else says how long to wait. */
  async admit(numberKey: string, at: Date): Promise<CodeSendVerdict> {
    if (this.#redis.status === 'ready') {
      try {
        return await this.#admitOnRedis(numberKey, at);
      } catch {
        // Redis went away mid-request: count in this process, as the other limits do.
      }
    }
    return this.#admitLocally(numberKey, at);
  }

  async #admitOnRedis(numberKey: string, at: Date): Promise<CodeSendVerdict> {
    const args = [at.getTime(), this.#longestMs, randomUUID(), ...this.windows.flatMap((w) => [w.windowMs, w.limit])];
    const [allowed, waitMs, which] = (await this.#redis.eval(
      ADMIT_SCRIPT,
      1,
      `${this.#keyPrefix}:${numberKey}`,
      ...args.map(String),
    )) as [number, number, number];
    if (allowed === 1) return { allowed: true, nextInMs: waitMs };
    return { allowed: false, retryInMs: waitMs, limitedBy: this.windows[which - 1] ?? this.windows[0]! };
  }

  #admitLocally(numberKey: string, at: Date): CodeSendVerdict {
    const now = at.getTime();
    const times = (this.#local.get(numberKey) ?? []).filter((t) => t > now - this.#longestMs);
    const caps = { 'sms-verification-code': { scope: 'number' as const, windows: this.windows } };
    const past = (list: number[]): PastSend[] =>
      list.map((t) => ({ at: new Date(t), sendClass: 'sms-verification-code' }));
    const query = { sendClass: 'sms-verification-code' as const, notBefore: at };
    const verdict = nextSendTime(caps, past(times), query);
    if (verdict.at.getTime() > now) {
      this.#local.set(numberKey, times);
      return {
        allowed: false,
        retryInMs: verdict.at.getTime() - now,
        limitedBy: verdict.limitedBy ?? this.windows[0]!,
      };
    }
    times.push(now);
    this.#local.set(numberKey, times);
    return { allowed: true, nextInMs: nextSendTime(caps, past(times), query).at.getTime() - now };
  }
}

import { AppError, type CapWindow } from '@affection/core';
import type { Redis } from 'ioredis';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { failOpenLimiter } from '../../auth/fail-open-limiter.ts';
import { perRedisClient } from '../../auth/per-redis-client.ts';
import { hashToken } from '../../auth/tokens.ts';
import { CodeSendLimits, SIGN_IN_CODE_WINDOWS } from './code-send-limits.ts';

/** Limits of {@link FamilyThrottle}. Windows are fixed, counted by Redis' own clock. */
export interface FamilyThrottleOptions {
  /**
   * Codes sent to one number: at most `limit` in any `windowMs`, by the app's clock. Default the SMS providers'
   * limits for verification codes, {@link SIGN_IN_CODE_WINDOWS}: 1 a minute, 5 an hour, 10 a day.
   */
  codeWindows?: readonly CapWindow[];
  /** Codes asked for from one client address per window. Default 5. */
  codesPerAddress?: number;
  /** Wrong codes for one number; the last one locks the number for the rest of the window. Default 5. */
  triesPerNumber?: number;
  /** Wrong codes from one client address per window. Default 5. */
  triesPerAddress?: number;
  /** Unknown, expired or revoked enrolment links from one client address per window. Default 10. */
  enrolFailuresPerAddress?: number;
  /** Window of every count, in seconds. Default 900 (15 minutes). */
  windowSeconds?: number;
  /** Prefix of the Redis keys. Default `throttle:family`. */
  keyPrefix?: string;
}

/** The numbers {@link FamilyThrottle} uses when no option says otherwise. */
export const FAMILY_THROTTLE_DEFAULTS: Required<FamilyThrottleOptions> = {
  codeWindows: SIGN_IN_CODE_WINDOWS,
  codesPerAddress: 5,
  triesPerNumber: 5,
  triesPerAddress: 5,
  enrolFailuresPerAddress: 10,
  windowSeconds: 15 * 60,
  keyPrefix: 'throttle:family',
};

/**
 * Why a request was refused: too many codes asked for from one address, the number's code limits (`code-wait`),
 * the number locked after wrong codes, too many wrong codes from one address, or too many bad enrolment links from
 * one address.
 */
export type FamilyThrottleReason = 'too-many-codes' | 'code-wait' | 'code-locked' | 'too-many-tries' | 'too-many-links';

/** A refusal: why, for how long, and (for `code-wait`) the instant the next code may be asked for. */
export type FamilyThrottleRefusal = {
  allowed: false;
  reason: FamilyThrottleReason;
  retryAfterSeconds: number;
  nextCodeAt?: Date;
};

/** Whether a request may go ahead; when not, why and for how long. */
export type FamilyThrottleVerdict = { allowed: true } | FamilyThrottleRefusal;

/** A code request that went ahead, with how long until the number may be sent another. */
export type FamilyCodeRequestVerdict = { allowed: true; nextCodeInSeconds: number } | FamilyThrottleRefusal;

/** A code try that went ahead, with how many more wrong codes the number may have. */
export type FamilyCodeTryVerdict =
  | { allowed: true; triesLeft: number }
  | { allowed: false; reason: FamilyThrottleReason; retryAfterSeconds: number };

/** Who asks: the number (E.164, stored in Redis only as a hash) and the client address. */
export interface FamilyCodeAttempt {
  phone: string;
  address: string;
  /** When (the app's clock): the number's code limits are counted by it. Default now. */
  at?: Date;
}

/**
 * Counts, on Redis (shared by every replica), the requests that could be used to guess: SMS codes
 * asked for, wrong codes typed and bad enrolment links. A try is counted when admitted, so parallel
 * requests cannot slip past a limit; a right code clears its number's count and gives the address
 * its point back. While Redis cannot be reached the counts are kept in this process (fails open to a
 * per-process limiter), so parents can still sign in, and are still throttled.
 *
 * @example
 * const verdict = await throttle.admitCodeTry({ phone: '+8613812345678', address: '203.0.113.7' });
 * if (!verdict.allowed) throw …; // 429 with Retry-After
 */
export class FamilyThrottle {
  readonly limits: Required<FamilyThrottleOptions>;
  readonly #codesPerNumber: CodeSendLimits;
  readonly #codesPerAddress: RateLimiterRedis;
  readonly #triesPerNumber: RateLimiterRedis;
  readonly #triesPerAddress: RateLimiterRedis;
  readonly #enrolFailures: RateLimiterRedis;

  constructor(redis: Redis, options: FamilyThrottleOptions = {}) {
    this.limits = { ...FAMILY_THROTTLE_DEFAULTS, ...options };
    for (const [name, value] of Object.entries(this.limits)) {
      if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`FamilyThrottle: ${name} must be a positive whole number, got ${value}`);
      }
    }
    const { keyPrefix, windowSeconds: duration } = this.limits;
    const limiter = (name: string, points: number) => failOpenLimiter(redis, `${keyPrefix}:${name}`, points, duration);
    this.#codesPerNumber = new CodeSendLimits(redis, {
      keyPrefix: `${keyPrefix}:code-log`,
      windows: this.limits.codeWindows,
    });
    this.#codesPerAddress = limiter('codes-address', this.limits.codesPerAddress);
    this.#triesPerNumber = limiter('tries-number', this.limits.triesPerNumber);
    this.#triesPerAddress = limiter('tries-address', this.limits.triesPerAddress);
    this.#enrolFailures = limiter('enrol-address', this.limits.enrolFailuresPerAddress);
  }

  /**
   * Counts a request for a code. A number locked by wrong codes gets no new code until the lock ends; a number at
   * one of its code limits (whether or not it is known) gets none until the limit lets it, and is told when.
   */
  async admitCodeRequest(attempt: FamilyCodeAttempt): Promise<FamilyCodeRequestVerdict> {
    const number = numberKey(attempt.phone);
    const at = attempt.at ?? new Date();
    return guarded(async () => {
      const lock = await this.#lockOf(number);
      if (lock) return lock;
      const byAddress = await consumeOrRefusal(this.#codesPerAddress, attempt.address);
      if (byAddress) return refused('too-many-codes', byAddress);
      const byNumber = await this.#codesPerNumber.admit(number, at);
      if (!byNumber.allowed) {
        // Nothing is sent, so the address keeps its point.
        await this.#codesPerAddress.reward(attempt.address, 1);
        return {
          allowed: false,
          reason: 'code-wait',
          retryAfterSeconds: Math.max(1, Math.ceil(byNumber.retryInMs / 1000)),
          nextCodeAt: new Date(at.getTime() + byNumber.retryInMs),
        };
      }
      return { allowed: true, nextCodeInSeconds: Math.ceil(byNumber.nextInMs / 1000) };
    });
  }

  /** Counts a code try, before the code is checked. */
  async admitCodeTry(attempt: FamilyCodeAttempt): Promise<FamilyCodeTryVerdict> {
    const number = numberKey(attempt.phone);
    return guarded(async () => {
      const byNumber = await consumeOrRefusal(this.#triesPerNumber, number);
      if (byNumber) return refused('code-locked', byNumber);
      const byAddress = await consumeOrRefusal(this.#triesPerAddress, attempt.address);
      if (byAddress) {
        await this.#triesPerNumber.reward(number, 1);
        return refused('too-many-tries', byAddress);
      }
      const [numberState, addressState] = await Promise.all([
        this.#triesPerNumber.get(number),
        this.#triesPerAddress.get(attempt.address),
      ]);
      const triesLeft = Math.min(
        this.limits.triesPerNumber - (numberState?.consumedPoints ?? 0),
        this.limits.triesPerAddress - (addressState?.consumedPoints ?? 0),
      );
      return { allowed: true, triesLeft: Math.max(0, triesLeft) };
    });
  }

  /**
   * After a wrong code that used the last try: how long the number (or the address) is now locked
   * for, as a refusal to answer with.
   */
  async lockAfterLastTry(attempt: FamilyCodeAttempt): Promise<Extract<FamilyThrottleVerdict, { allowed: false }>> {
    const number = numberKey(attempt.phone);
    return guarded(async () => {
      const byNumber = await this.#triesPerNumber.get(number);
      if (byNumber && byNumber.consumedPoints >= this.limits.triesPerNumber) return refused('code-locked', byNumber);
      const byAddress = await this.#triesPerAddress.get(attempt.address);
      return refused('too-many-tries', byAddress ?? new RateLimiterRes(0, this.limits.windowSeconds * 1000));
    });
  }

  /** After a right code: the number starts afresh and the address gets its point back. */
  async codeSucceeded(attempt: FamilyCodeAttempt): Promise<void> {
    await guarded(async () => {
      await this.#triesPerNumber.delete(numberKey(attempt.phone));
      await giveBack(this.#triesPerAddress, attempt.address);
    });
  }

  /** Counts an enrolment try from an address, before the link is checked. */
  async admitEnrolment(address: string): Promise<FamilyThrottleVerdict> {
    return guarded(async () => {
      const refusal = await consumeOrRefusal(this.#enrolFailures, address);
      return refusal ? refused('too-many-links', refusal) : { allowed: true };
    });
  }

  /** After a working link: the address gets its point back, so that only bad links count. */
  async enrolmentSucceeded(address: string): Promise<void> {
    await guarded(() => giveBack(this.#enrolFailures, address));
  }

  async #lockOf(number: string): Promise<FamilyThrottleRefusal | null> {
    const tries = await this.#triesPerNumber.get(number);
    if (tries && tries.consumedPoints >= this.limits.triesPerNumber) return refused('code-locked', tries);
    return null;
  }
}

function numberKey(phone: string): string {
  return hashToken(`family-code:${phone}`);
}

/** Consumes a point; null when within the limit, the limiter's answer when over it. */
async function consumeOrRefusal(limiter: RateLimiterRedis, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key, 1);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}

/** Gives back one point, only when one is there: rewarding an expired key would start the next window below zero. */
async function giveBack(limiter: RateLimiterRedis, key: string): Promise<void> {
  const current = await limiter.get(key);
  if (current && current.consumedPoints > 0) await limiter.reward(key, 1);
}

function refused(reason: FamilyThrottleReason, res: RateLimiterRes) {
  return {
    allowed: false as const,
    reason,
    retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'service-unavailable',
      'Signing in is paused: the store that counts tries (Redis) cannot be reached. Please try again in a minute.',
      { userMessageKey: 'error.family.unavailable', retryable: true, cause: error, details: { reason: 'unavailable' } },
    );
  }
}

/** Gives the {@link FamilyThrottle} of a Redis client. */
export type FamilyThrottleSource = (redis: Redis) => FamilyThrottle;

/**
 * A per-app source of {@link FamilyThrottle}s: the first request builds the throttle on the app's
 * Redis client, later requests reuse it (the limiters register a Lua command on the client once).
 */
export function createFamilyThrottleSource(options: FamilyThrottleOptions = {}): FamilyThrottleSource {
  return perRedisClient((redis) => new FamilyThrottle(redis, options));
}

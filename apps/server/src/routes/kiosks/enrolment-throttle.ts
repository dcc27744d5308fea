import { AppError } from '@affection/core';
import type { Redis } from 'ioredis';
import { type RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { failOpenLimiter } from '../../auth/fail-open-limiter.ts';
import { perRedisClient } from '../../auth/per-redis-client.ts';

/** Limits of {@link EnrolmentThrottle}. */
export interface EnrolmentThrottleOptions {
  /** Wrong enrolment codes per client address before further tries are refused. Default 10. */
  failures?: number;
  /** Window of the count, in seconds. Default 900 (15 minutes). */
  windowSeconds?: number;
  /** Prefix of the Redis keys. Default `throttle:kiosk-enrol`. */
  keyPrefix?: string;
}

/** The numbers {@link EnrolmentThrottle} uses when no option says otherwise. */
export const ENROLMENT_THROTTLE_DEFAULTS: Required<EnrolmentThrottleOptions> = {
  failures: 10,
  windowSeconds: 15 * 60,
  keyPrefix: 'throttle:kiosk-enrol',
};

/** Whether an enrolment try may go ahead; when not, for how long the address must wait. */
export type EnrolmentVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Slows down guessing kiosk enrolment codes, counted per client address on Redis (shared by every
 * replica). A try is counted when admitted, so parallel requests cannot slip past the limit; a
 * right code gives its point back, so only wrong codes use up the allowance. While Redis cannot be
 * reached the count is kept in this process (fails open to a per-process limiter).
 */
export class EnrolmentThrottle {
  readonly limits: Required<EnrolmentThrottleOptions>;
  readonly #failures: RateLimiterRedis;

  constructor(redis: Redis, options: EnrolmentThrottleOptions = {}) {
    this.limits = { ...ENROLMENT_THROTTLE_DEFAULTS, ...options };
    for (const name of ['failures', 'windowSeconds'] as const) {
      const value = this.limits[name];
      if (!(Number.isInteger(value) && value > 0)) {
        throw new Error(`EnrolmentThrottle: ${name} must be a positive whole number, got ${value}`);
      }
    }
    this.#failures = failOpenLimiter(redis, this.limits.keyPrefix, this.limits.failures, this.limits.windowSeconds);
  }

  /** Counts a try from `address` and says whether it may go ahead. */
  async admit(address: string): Promise<EnrolmentVerdict> {
    try {
      await this.#failures.consume(address, 1);
      return { allowed: true };
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
      }
      throw unavailable(error);
    }
  }

  /** After a right code: the address gets its point back. */
  async succeeded(address: string): Promise<void> {
    try {
      const current = await this.#failures.get(address);
      // Only give back what is there: rewarding an expired key would start the next window below zero.
      if (current && current.consumedPoints > 0) await this.#failures.reward(address, 1);
    } catch (error) {
      throw unavailable(error);
    }
  }
}

function unavailable(cause: unknown): AppError {
  return new AppError(
    'service-unavailable',
    'Kiosk enrolment is paused: the store that counts tries (Redis) cannot be reached. Please try again in a minute.',
    {
      userMessageKey: 'error.kiosk.enrol-unavailable',
      retryable: true,
      cause,
      details: { reason: 'enrol-unavailable' },
    },
  );
}

/** The throttle on this Redis client, built on first use (the limiter registers a Lua command once). */
export const enrolmentThrottleOf = perRedisClient((redis) => new EnrolmentThrottle(redis));

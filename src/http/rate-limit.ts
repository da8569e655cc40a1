// Spending a rate limit's allowance, and the app's answer once it is spent: every limit (logins,
// password checks, reset and confirmation mail, plays) refuses with a TooManyRequests of its own
// words, which the error handler turns into 429 + Retry-After.
import type { Response } from 'express';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { TooManyRequests } from '../lib/errors.js';

/** Spends `points` of `key`'s allowance; once it is spent, throws what `refusal` makes of the wait (in seconds). */
export async function spend(limiter: RateLimiterAbstract, key: string, refusal: (retryAfterSeconds: number) => TooManyRequests, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw refusal(rejection.msBeforeNext / 1000);
    throw rejection;
  }
}

/** A spent limit's Retry-After: whole seconds, at least one (web pages, JSON and Subsonic answers alike). */
export function setRetryAfter(res: Response, refusal: TooManyRequests): void {
  res.set('Retry-After', String(Math.max(1, Math.ceil(refusal.retryAfterSeconds))));
}

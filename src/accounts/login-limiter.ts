// Brute-force limits, checked before any password is hashed: per username+IP (a few tries) and
// per IP (many usernames). Counters live in the database so every app process shares them.
import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { dialectOf } from '../db/dialect.js';
import { TooManyRequests } from '../http/errors.js';
import { normalizeUsername } from './accounts.schemas.js';

export interface LoginLimits {
  perUsernameAndIp: number;
  perIp: number;
  registrationsPerIp: number;
  windowSeconds: number;
}

export class TooManyAttempts extends TooManyRequests {
  constructor(retryAfterSeconds: number) {
    super('too_many_attempts', `Too many attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`, retryAfterSeconds);
  }
}

const USER_KEY_PREFIX = 'login_user_ip';

/** A LIKE pattern for keys starting with `text`, whose own "_" and "%" (usernames hold "_") match only themselves. */
const likePrefix = (text: string) => `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * Deletes this username's login counters (one per IP it was tried from), in the caller's
 * transaction: the account is being deleted. A key is `login_user_ip:<name>_<ip>`; an IP never
 * holds "_", so a longer name that merely starts with this one keeps its counters.
 */
export async function forgetLoginLimitsOf(trx: Knex.Transaction, normalizedUsername: string): Promise<void> {
  const prefix = `${USER_KEY_PREFIX}:${normalizedUsername}_`;
  const keys: string[] = await trx('rate_limits')
    .whereRaw("?? like ? escape '!'", ['key', likePrefix(prefix)])
    .pluck('key');
  // Compared again here: MySQL's collation lets LIKE match "ánn" for "ann".
  const own = keys.filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('_'));
  if (own.length > 0) await trx('rate_limits').whereIn('key', own).del();
}

export function createLoginLimiter(db: Knex, limits: LoginLimits, clearExpired: boolean) {
  const dialect = dialectOf(db);
  const common = { duration: limits.windowSeconds, clearExpired };
  const byUser = dialect.createRateLimiter(db, { ...common, keyPrefix: USER_KEY_PREFIX, points: limits.perUsernameAndIp });
  const byIp = dialect.createRateLimiter(db, { ...common, keyPrefix: 'login_ip', points: limits.perIp });
  const byIpRegistering = dialect.createRateLimiter(db, { ...common, keyPrefix: 'register_ip', points: limits.registrationsPerIp });
  const userKey = (username: string, ip: string) => `${normalizeUsername(username)}_${ip}`;

  const consume = async (limiter: typeof byUser, key: string) => {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw new TooManyAttempts(rejection.msBeforeNext / 1000);
      throw rejection;
    }
  };

  return {
    /** Counts one attempt; throws TooManyAttempts once either limit is spent. */
    async attempt(username: string, ip: string): Promise<void> {
      await consume(byIp, ip);
      await consume(byUser, userKey(username, ip));
    },
    /**
     * For clients that send their credentials with every request (Subsonic apps): refuses once
     * either limit is spent, counting nothing, so only failures (counted by `attempt`) use them up.
     */
    async refuseIfSpent(username: string, ip: string): Promise<void> {
      const checks = [
        [byIp, ip],
        [byUser, userKey(username, ip)],
      ] as const;
      for (const [limiter, key] of checks) {
        const spent = await limiter.get(key);
        if (spent && spent.consumedPoints >= limiter.points) throw new TooManyAttempts(spent.msBeforeNext / 1000);
      }
    },
    /** Counts one registration from this IP. */
    registration: (ip: string) => consume(byIpRegistering, ip),
    /** A successful login forgives that username's failures from this IP. */
    async succeeded(username: string, ip: string): Promise<void> {
      await byUser.delete(userKey(username, ip));
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;

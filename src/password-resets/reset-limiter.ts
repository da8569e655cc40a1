// Limits on asking for reset links, per IP and per account (the username or email typed, so the
// limit is counted alike whether an account matches or not), with counters in the database like
// the login limits. The per-account limit is what stops anyone from filling a listener's inbox.
import type { Knex } from 'knex';
import { normalizeUsername } from '../accounts/accounts.schemas.js';
import type { Config } from '../config.js';
import { dialectOf } from '../db/dialect.js';
import { TooManyRequests, tryAgainIn } from '../lib/errors.js';
import { spend } from '../http/rate-limit.js';

/** The answer once a limit on mail requests (reset links, address confirmations) is spent. */
const tooManyMailRequests = (seconds: number) => new TooManyRequests('too_many_reset_requests', `Too many requests. ${tryAgainIn(seconds)}`, seconds);

const ACCOUNT_KEY_PREFIX = 'reset_account';

/** One counter per account however it is typed: an email lower-cased, a username normalized. */
const accountKey = (identifier: string) => (identifier.includes('@') ? identifier.trim().toLowerCase() : normalizeUsername(identifier));

/** Deletes the account's counters, in the caller's transaction (the account is being deleted). */
export async function forgetResetLimitsOf(trx: Knex.Transaction, account: { normalizedUsername: string; email: string | null }): Promise<void> {
  const names = [account.normalizedUsername, ...(account.email ? [account.email] : [])];
  await trx('rate_limits')
    .whereIn(
      'key',
      names.map((name) => `${ACCOUNT_KEY_PREFIX}:${accountKey(name)}`),
    )
    .del();
}

export function createResetLimiter(db: Knex, limits: Config['resetLimits'], clearExpired: boolean) {
  const dialect = dialectOf(db);
  const common = { duration: limits.windowSeconds, clearExpired };
  const byIp = dialect.createRateLimiter(db, { ...common, keyPrefix: 'reset_ip', points: limits.perIp });
  const byAccount = dialect.createRateLimiter(db, { ...common, keyPrefix: ACCOUNT_KEY_PREFIX, points: limits.perAccount });

  return {
    /** Counts one request; throws TooManyRequests once either limit is spent. */
    async attempt(identifier: string, ip: string): Promise<void> {
      await spend(byIp, ip, tooManyMailRequests);
      await spend(byAccount, accountKey(identifier), tooManyMailRequests);
    },
  };
}

export type ResetLimiter = ReturnType<typeof createResetLimiter>;

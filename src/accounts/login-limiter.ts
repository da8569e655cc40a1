// Brute-force limits on every password check, checked before any password is hashed: per account
// and IP (a few tries) and per IP (many accounts). Two sets of counters: the website's (the login
// form and the account page's password checks) and the apps' (/rest, where an app with a stale
// app password fails on every request), so neither can lock the other out. Counters live in the
// database so every app process shares them.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect.js';
import { startsWith } from '../db/like.js';
import { TooManyRequests, tryAgainIn } from '../lib/errors.js';
import { spend } from '../http/rate-limit.js';
import { normalizeUsername } from './accounts.schemas.js';

export interface LoginLimits {
  perUsernameAndIp: number;
  perIp: number;
  registrationsPerIp: number;
  windowSeconds: number;
}

export class TooManyAttempts extends TooManyRequests {
  constructor(retryAfterSeconds: number) {
    super('too_many_attempts', `Too many attempts. ${tryAgainIn(retryAfterSeconds)}`, retryAfterSeconds);
  }
}

const refusal = (seconds: number) => new TooManyAttempts(seconds);

/** Who an app's credentials claim to be: a username, or the owner of an API key (known by its hash). */
export type Claimant = { username: string } | { apiKey: string };

/** Per account+IP counters, the website's and the apps': keys `<prefix>:<normalized name>_<ip>`. */
const WEB_USER_PREFIX = 'login_user_ip';
const APP_USER_PREFIX = 'rest_user_ip';

/**
 * Deletes this username's counters (one per IP it was tried from, on the website and in apps), in
 * the caller's transaction: the account is being deleted. An IP never holds "_", so a longer name
 * that merely starts with this one keeps its counters.
 */
export async function forgetLoginLimitsOf(trx: Knex.Transaction, normalizedUsername: string): Promise<void> {
  for (const prefix of [WEB_USER_PREFIX, APP_USER_PREFIX].map((p) => `${p}:${normalizedUsername}_`)) {
    const keys: string[] = await trx('rate_limits')
      // A username's own "_" and "%" match only themselves.
      .where(startsWith(trx, 'key', prefix))
      .pluck('key');
    // Compared again here: MySQL's collation lets LIKE match "ánn" for "ann".
    const own = keys.filter((key) => key.startsWith(prefix) && !key.slice(prefix.length).includes('_'));
    if (own.length > 0) await trx('rate_limits').whereIn('key', own).del();
  }
}

export function createLoginLimiter(db: Knex, limits: LoginLimits, clearExpired: boolean) {
  const dialect = dialectOf(db);
  const common = { duration: limits.windowSeconds, clearExpired };
  const counter = (keyPrefix: string, points: number) => dialect.createRateLimiter(db, { ...common, keyPrefix, points });
  const web = { byUser: counter(WEB_USER_PREFIX, limits.perUsernameAndIp), byIp: counter('login_ip', limits.perIp) };
  const apps = {
    byUser: counter(APP_USER_PREFIX, limits.perUsernameAndIp),
    // A wrong API key names nobody: its failures count against its hash (and the IP).
    byKey: counter('rest_key_ip', limits.perUsernameAndIp),
    byIp: counter('rest_ip', limits.perIp),
  };
  const byIpRegistering = counter('register_ip', limits.registrationsPerIp);
  const userKey = (username: string, ip: string) => `${normalizeUsername(username)}_${ip}`;
  /** The apps' counter for this claimant from this IP, and its key. */
  const appCounter = (claimant: Claimant, ip: string) =>
    'apiKey' in claimant
      ? ([apps.byKey, `${createHash('sha256').update(claimant.apiKey).digest('hex')}_${ip}`] as const)
      : ([apps.byUser, userKey(claimant.username, ip)] as const);

  return {
    /**
     * Counts one password check on the website (the login form, or the account page's checks for
     * the account `username`); throws TooManyAttempts once either limit is spent.
     */
    async attempt(username: string, ip: string): Promise<void> {
      await spend(web.byIp, ip, refusal);
      await spend(web.byUser, userKey(username, ip), refusal);
    },
    /** The right password forgives that account's failures from this IP. */
    async succeeded(username: string, ip: string): Promise<void> {
      await web.byUser.delete(userKey(username, ip));
    },
    /** Counts one registration from this IP. */
    registration: (ip: string) => spend(byIpRegistering, ip, refusal),
    /**
     * Apps send their credentials with every request, so only their failures count: this refuses
     * once either of the apps' limits is spent, counting nothing…
     */
    async refuseAppIfSpent(claimant: Claimant, ip: string): Promise<void> {
      for (const [limiter, key] of [[apps.byIp, ip] as const, appCounter(claimant, ip)]) {
        const spent = await limiter.get(key);
        if (spent && spent.consumedPoints >= limiter.points) throw new TooManyAttempts(spent.msBeforeNext / 1000);
      }
    },
    /** …and this counts one failure, against the IP and the claimant. */
    async appFailed(claimant: Claimant, ip: string): Promise<void> {
      const [limiter, key] = appCounter(claimant, ip);
      await Promise.all([apps.byIp.penalty(ip), limiter.penalty(key)]);
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;

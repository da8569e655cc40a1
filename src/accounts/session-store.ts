// express-session's store over our own knex, in the `sessions` table (sid, sess as JSON text,
// expired). Ours rather than a library's because the store is where a database outage meets every
// request: each failure must reach express-session's callback as ServiceBusy (503 + Retry-After),
// and nothing may be thrown or left as an unhandled rejection, which would end the process.
import session, { type SessionData } from 'express-session';
import type { Knex } from 'knex';
import { retryingReads } from '../db/read-retry.js';
import { readTimestamp } from '../db/timestamps.js';
import { ServiceBusy } from '../lib/errors.js';

const TABLE = 'sessions';
/** For a session whose cookie names no expiry; ours always has one (maxAge), so this is a fallback. */
const DEFAULT_TTL_MS = 24 * 3_600_000;

export interface SessionStoreOptions {
  /** How often expired rows are deleted; 0 = never (tests, so no timer outlives a test file). */
  cleanupIntervalMs: number;
  /**
   * A session whose data did not change is written (its expiry moved) at most this often: the
   * stored expiry then lags the cookie's by less than this, so an idle session may end up to
   * that much early, never late. 0: on every response.
   */
  touchEveryMs?: number;
  /** A read that finds the database unavailable is tried again for up to this long (db/read-retry.ts). */
  readRetryMs?: number;
}

/** Stored expiries remembered per process, for the touch rule (oldest forgotten first). */
const REMEMBERED_EXPIRIES = 50_000;

type Callback<T = void> = (err: unknown, value?: T) => void;

/**
 * Runs the callback outside the promise chain (as express-session's MemoryStore does), so a throw
 * from inside express-session cannot come back here as a rejection nobody handles.
 */
function reply<T>(work: Promise<T>, callback: Callback<T> | undefined): void {
  work.then(
    (value) => setImmediate(() => callback?.(null, value)),
    () => setImmediate(() => callback?.(new ServiceBusy())),
  );
}

// Dates are bound as Date objects on both databases and read back with readTimestamp.

/** When a session ends: its cookie's expiry, else now + the cookie's maxAge, else a default. */
function expiryOf(data: SessionData, now = Date.now()): Date {
  const cookie = data.cookie as { expires?: Date | string | null; maxAge?: number | null } | undefined;
  if (cookie?.expires) return new Date(cookie.expires);
  return new Date(now + (cookie?.maxAge ?? DEFAULT_TTL_MS));
}

function parse(text: unknown): SessionData | null {
  try {
    return JSON.parse(String(text)) as SessionData;
  } catch {
    return null; // a row we cannot read is no session, not an error on every request of its owner
  }
}

/**
 * Deletes every session logged in as this user, in the caller's transaction. Sessions are stored
 * as JSON text, so the rows are found by the text passport writes (`"user":{"id":N,…`: a scan of
 * the table, fine for the rare password reset or account deletion) and confirmed by parsing them.
 */
export async function deleteSessionsOf(trx: Knex.Transaction, userId: number): Promise<void> {
  const rows: { sid: string; sess: unknown }[] = await trx(TABLE)
    .where('sess', 'like', `%"user":{"id":${Number(userId)}%`)
    .select('sid', 'sess');
  const sids = rows.filter((r) => (parse(r.sess) as { passport?: { user?: { id?: unknown } } } | null)?.passport?.user?.id === userId).map((r) => r.sid);
  if (sids.length > 0) await trx(TABLE).whereIn('sid', sids).del();
}

export class DatabaseSessionStore extends session.Store {
  private cleanup: NodeJS.Timeout | undefined;
  private readonly touchEveryMs: number;
  /** sid → the expiry its row holds, as this process last read or wrote it. */
  private readonly storedExpiry = new Map<string, number>();
  /** read(), tried again on a fresh connection while the database is briefly unavailable. */
  private readonly reads: { read(sid: string): Promise<SessionData | null> };

  constructor(
    private readonly db: Knex,
    options: SessionStoreOptions,
  ) {
    super();
    this.touchEveryMs = options.touchEveryMs ?? 0;
    this.reads = retryingReads({ read: (sid: string) => this.read(sid) }, { withinMs: options.readRetryMs ?? 0 });
    if (options.cleanupIntervalMs > 0) {
      this.cleanup = setInterval(() => void this.deleteExpired().catch(() => {}), options.cleanupIntervalMs);
      this.cleanup.unref(); // never what keeps the process alive
    }
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    reply(this.reads.read(sid), callback);
  }

  override set(sid: string, data: SessionData, callback?: Callback): void {
    reply(this.write(sid, data), callback);
  }

  override touch(sid: string, data: SessionData, callback?: Callback): void {
    // A logged-in listener's every response would otherwise write their row: only its expiry moves.
    const stored = this.storedExpiry.get(sid);
    if (stored !== undefined && expiryOf(data).getTime() - stored < this.touchEveryMs) {
      setImmediate(() => callback?.(null));
      return;
    }
    reply(this.extend(sid, data), callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    reply(this.remove(sid), callback);
  }

  /** Deletes every session that has ended; resolves to how many. */
  async deleteExpired(now = new Date()): Promise<number> {
    return this.db(TABLE).where('expired', '<=', now).del();
  }

  /** Stops the periodic cleanup. */
  close(): void {
    clearInterval(this.cleanup);
    this.cleanup = undefined;
  }

  private async read(sid: string): Promise<SessionData | null> {
    const row = await this.db(TABLE).where('sid', sid).first('sess', 'expired');
    // Compared here rather than in SQL so that any stored date format is read the same way; a date
    // that does not parse counts as ended.
    const expired = row ? readTimestamp(row.expired).getTime() : Number.NaN;
    if (!row || !(expired > Date.now())) {
      this.storedExpiry.delete(sid);
      return null;
    }
    this.remember(sid, expired);
    return parse(row.sess);
  }

  private remember(sid: string, expiry: number): void {
    if (this.touchEveryMs <= 0) return;
    this.storedExpiry.delete(sid); // re-inserted last: the map forgets the least recently seen first
    this.storedExpiry.set(sid, expiry);
    if (this.storedExpiry.size > REMEMBERED_EXPIRIES) this.storedExpiry.delete(this.storedExpiry.keys().next().value!);
  }

  /** Insert or replace: express-session calls set for new sessions and changed ones alike. */
  private async write(sid: string, data: SessionData): Promise<void> {
    const expired = expiryOf(data);
    await this.db(TABLE)
      .insert({ sid, sess: JSON.stringify(data), expired })
      .onConflict('sid')
      .merge(['sess', 'expired']);
    this.remember(sid, expired.getTime());
  }

  /** Moves only the expiry (rolling sessions), and never revives a session that has ended. */
  private async extend(sid: string, data: SessionData): Promise<void> {
    const now = new Date();
    const expired = expiryOf(data, now.getTime());
    const updated = await this.db(TABLE).where('sid', sid).andWhere('expired', '>', now).update({ expired });
    if (updated) this.remember(sid, expired.getTime());
  }

  private async remove(sid: string): Promise<void> {
    this.storedExpiry.delete(sid);
    await this.db(TABLE).where('sid', sid).del();
  }
}

// Sessions live in the database (table `sessions`) through connect-session-knex, wrapped because
// its get/set/destroy call back with an error and then rethrow (an unhandled rejection kills Node
// 20), and its touch never calls back on error (the request would hang).
import { ConnectSessionKnexStore } from 'connect-session-knex';
import session, { type SessionData } from 'express-session';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { ServiceBusy } from '../http/errors.js';

export const SESSION_COOKIE = 'stereodose.sid';

declare module 'express-session' {
  interface SessionData {
    /** When this session was first created: the absolute timeout counts from here. */
    createdAt?: number;
    flash?: { type: 'success' | 'error'; message: string }[];
  }
}

class SafeKnexStore extends ConnectSessionKnexStore {
  constructor(knex: Knex, cleanupInterval: number) {
    super({ knex, tableName: 'sessions', createTable: false, cleanupInterval, onDbCleanupError: () => {} });
    // The migrations create the table; never let a failed start-up probe poison every later call
    // (nor go unhandled when the database is down at start-up).
    void this.ready.catch(() => {});
    this.ready = Promise.resolve();
  }
  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    return super.get(sid, (err, s) => callback(err && new ServiceBusy(), s)).catch(() => null);
  }
  override set(sid: string, data: SessionData, callback?: (err?: unknown) => void) {
    return super.set(sid, data, (err) => callback?.(err && new ServiceBusy())).catch(() => undefined);
  }
  override destroy(sid: string, callback?: (err?: unknown) => void) {
    return super.destroy(sid, (err) => callback?.(err && new ServiceBusy())).catch(() => 0);
  }
  override async touch(sid: string, data: SessionData, callback?: (err?: unknown) => void) {
    try {
      await super.touch(sid, data);
      callback?.();
    } catch {
      callback?.(new ServiceBusy());
    }
  }
}

export function createSessionMiddleware(db: Knex, config: Readonly<Config>): RequestHandler {
  const store = new SafeKnexStore(db, config.env === 'test' ? 0 : 15 * 60_000);
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecrets,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true, // the idle timeout restarts with every response
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.env === 'production' ? 'auto' : false,
      maxAge: config.sessionIdleMinutes * 60_000,
    },
  });
}

/** Ends sessions older than the absolute timeout, whatever their activity. */
export function absoluteSessionTimeout(config: Readonly<Config>): RequestHandler {
  const limit = config.sessionAbsoluteHours * 3_600_000;
  return (req, _res, next) => {
    // createdAt is set at login (anonymous sessions only hold a CSRF token and just expire idle).
    const created = req.session?.createdAt;
    if (created === undefined || Date.now() - created <= limit) return next();
    req.session.regenerate((err) => next(err));
  };
}

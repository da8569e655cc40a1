// Sessions live in the database (table `sessions`, see session-store.ts), so every app process
// shares them; the cookie carries only the signed session id.
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { newSessionId } from './session-id.js';
import { DatabaseSessionStore } from './session-store.js';

export const SESSION_COOKIE = 'stereodose.sid';

declare module 'express-session' {
  interface SessionData {
    /** When this session was first created: the absolute timeout counts from here. */
    createdAt?: number;
    flash?: { type: 'success' | 'error'; message: string }[];
  }
}

export function createSessionMiddleware(db: Knex, config: Readonly<Config>): RequestHandler {
  const store = new DatabaseSessionStore(db, { cleanupIntervalMs: config.env === 'test' ? 0 : 15 * 60_000 });
  return session({
    name: SESSION_COOKIE,
    secret: config.sessionSecrets,
    store,
    resave: false,
    saveUninitialized: false,
    genid: newSessionId,
    rolling: true, // the idle timeout restarts with every response
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.env === 'production' ? 'auto' : false,
      maxAge: config.sessionIdleMinutes * 60_000,
    },
  });
}

/** A new, empty session for this browser (the old one's row is gone or must not be reused). */
export const regenerateSession = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

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

// Sessions live in the database (table `sessions`, see session-store.ts), so every app process
// shares them; the cookie carries only the signed session id.
import session from 'express-session';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { newSessionId } from './session-id.js';
import { DatabaseSessionStore } from './session-store.js';

/**
 * The session cookie's names, here alone: on https (an https PUBLIC_URL, or a request a trusted
 * proxy says came over https) it is `__Host-` prefixed, which browsers accept only with Secure,
 * Path=/ and no Domain: no other host (a sibling subdomain) and no plain-http page can set it.
 */
const SESSION_COOKIE = 'stereodose.sid';
const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** Whether the request carries a session cookie, of either name (the `__Host-` one ends with the other). */
export const hasSessionCookie = (req: IncomingMessage) => req.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false;

/** The site is https by its configuration: its session cookie is always the Secure one. */
const httpsSite = (config: Pick<Config, 'publicUrl'>) => config.publicUrl?.startsWith('https:') ?? false;

/** Which cookie this request's session travels in. */
const secureCookieFor = (config: Pick<Config, 'publicUrl'>, req: Request) => httpsSite(config) || req.secure;

declare module 'express-session' {
  interface SessionData {
    /** When this session was first created: the absolute timeout counts from here. */
    createdAt?: number;
    /** When the listener last proved their password here (ms): a login, or a password typed again. */
    passwordProvenAt?: number;
    flash?: { type: 'success' | 'error'; message: string }[];
  }
}

export function createSessionMiddleware(db: Knex, config: Readonly<Config>): RequestHandler {
  const cleanupIntervalMs = config.sweepExpired ? 15 * 60_000 : 0;
  // A store each (over the same table): express-session hangs its new-session maker, with the
  // cookie's options, on the store it is given, so a shared store would take the last one's.
  const sessions = (name: string, secure: boolean, store: DatabaseSessionStore) =>
    session({
      name,
      secret: config.sessionSecrets,
      store,
      resave: false,
      saveUninitialized: false,
      genid: newSessionId,
      rolling: true, // the idle timeout restarts with every response
      cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: config.sessionIdleMinutes * 60_000 },
    });
  // Two cookies: express-session takes one fixed name, and the name follows the scheme.
  const stored = { touchEveryMs: config.sessionTouchMs, readRetryMs: config.dbReadRetryMs };
  const overHttps = sessions(SECURE_SESSION_COOKIE, true, new DatabaseSessionStore(db, { cleanupIntervalMs, ...stored }));
  const overHttp = sessions(SESSION_COOKIE, false, new DatabaseSessionStore(db, { cleanupIntervalMs: 0, ...stored }));
  return (req, res, next) => (secureCookieFor(config, req) ? overHttps : overHttp)(req, res, next);
}

/** Tells the browser to forget its session cookie (after logout), with the attributes it was set with. */
export function clearSessionCookie(config: Pick<Config, 'publicUrl'>, req: Request, res: Response): void {
  const secure = secureCookieFor(config, req);
  res.clearCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/** passport ≥ 0.6 regenerates the session id here, so a planted session id is worthless. */
export async function logIn(req: Request, user: Express.User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.createdAt = Date.now();
  req.session.passwordProvenAt = req.session.createdAt;
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

// Synchronizer-token CSRF protection (csrf-sync; csurf is deprecated) on every unsafe method,
// login included. Forms send `_csrf`; fetch sends the `x-csrf-token` header. A browser that says
// the request comes from another site is refused before the token is even looked at.
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from '../lib/errors.js';
import { noStore } from './private-answers.js';

const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
// Posts that need no token, because anonymous listeners (who have no session, hence no token)
// send them. Safe: without a token /api/plays only adds to counters and changes nothing anyone
// owns (a listener's history grows only with their token: see hasCsrfToken); it takes JSON only
// (no cross-site form can send that) and is rate-limited per IP. The cross-site check below still
// applies to it.
const TOKENLESS = new Set(['/api/plays']);
export const csrfRefused = () => new AppError('csrf', 403, 'This form has expired or did not come from Stereodose. Reload the page and try again.');

/** Whether a token-less path's request carries the session's token, so it may change what the listener owns. */
export const hasCsrfToken = (req: Request): boolean => isRequestValid(req);

export const csrfProtection: RequestHandler = (req, res, next) => {
  // Templates call csrf() only where they render a form, so anonymous browsing creates no session.
  // A page holding a session's token is that session's alone: never stored.
  res.locals.csrf = () => {
    noStore(res);
    return generateToken(req);
  };
  if (SAFE.has(req.method)) return next();
  if (req.headers['sec-fetch-site'] === 'cross-site') return next(csrfRefused());
  if (TOKENLESS.has(req.path)) return next();
  csrfSynchronisedProtection(req, res, (err?: unknown) => next(err ? csrfRefused() : undefined));
};

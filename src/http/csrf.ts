// Synchronizer-token CSRF protection (csrf-sync; csurf is deprecated) on every unsafe method,
// login included. Forms send `_csrf`; fetch sends the `x-csrf-token` header. A browser that says
// the request comes from another site is refused before the token is even looked at.
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { AppError } from './errors.js';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
});

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrfRefused = () => new AppError('csrf', 403, 'This form has expired or did not come from Stereodose. Reload the page and try again.');

export const csrfProtection: RequestHandler = (req, res, next) => {
  // Templates call csrf() only where they render a form, so anonymous browsing creates no session.
  res.locals.csrf = () => generateToken(req);
  if (SAFE.has(req.method)) return next();
  if (req.headers['sec-fetch-site'] === 'cross-site') return next(csrfRefused());
  csrfSynchronisedProtection(req, res, (err?: unknown) => next(err ? csrfRefused() : undefined));
};

import type { Request, RequestHandler } from 'express';
import { Forbidden, LoginRequired } from '../lib/errors.js';

/** A path on this site, or undefined: `//evil.com`, `/\\evil.com` and absolute URLs are refused. */
export function safeLocalPath(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return undefined;
  if ([...next].some((c) => c.charCodeAt(0) < 0x20)) return undefined; // control characters
  return next;
}

/** Where to come back after logging in: this page, or for a form post the page it was posted from. */
function returnPath(req: Request): string {
  if (req.method === 'GET') return req.originalUrl;
  const fromForm = safeLocalPath(req.body?.returnTo);
  if (fromForm) return fromForm;
  try {
    const referer = new URL(req.get('referer') ?? '');
    if (referer.host === req.get('host')) return safeLocalPath(referer.pathname + referer.search) ?? '/';
  } catch {
    // no usable referer
  }
  return '/';
}

/** The login page, bringing the listener back to `next` (a local path) once they are in. */
export const loginUrl = (next: string) => `/login?next=${encodeURIComponent(next)}`;

const loginUrlFor = (req: Request) => loginUrl(returnPath(req));

/** Anonymous visitors are sent to log in (and back); JSON clients get 401 with the login URL. */
export const requireUser: RequestHandler = (req, _res, next) => {
  next(req.user ? undefined : new LoginRequired(loginUrlFor(req)));
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new LoginRequired(loginUrlFor(req)));
  next(req.user.isAdmin ? undefined : new Forbidden('Only admins may do that.'));
};

/** The admin behind this request, as the audit log names them (behind requireAdmin, so never anonymous). */
export const adminActor = (req: Request) => ({ id: req.user!.id, name: req.user!.username });

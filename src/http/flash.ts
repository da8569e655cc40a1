// One-time messages carried across a redirect (Post/Redirect/Get), kept in the session.
import type { Request, RequestHandler } from 'express';

export function flash(req: Request, type: 'success' | 'error', message: string): void {
  req.session.flash ??= [];
  req.session.flash.push({ type, message });
}

export const flashMessages: RequestHandler = (req, res, next) => {
  const messages = req.session?.flash;
  res.locals.flash = messages ?? [];
  if (messages) delete req.session.flash;
  next();
};

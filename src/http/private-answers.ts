// Answers that depend on who asks are never stored: no browser, proxy or CDN cache may keep a
// listener's page or JSON for the next person (or the next visit after logout). Every answer to a
// logged-in listener, every page under a listener's or admin's path (a login redirect included),
// and every page that carries a session's CSRF token gets `Cache-Control: no-store`.
import type { RequestHandler, Response } from 'express';

/** Pages about a person, whoever asks: theirs when logged in, a redirect to log in otherwise. */
const PRIVATE_PATHS = /^\/(?:account|admin|favorites|me|my|login|register|logout|forgot|reset|verify-email)(?:\/|$)/;

export const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/** After the session is read: marks the answer private when it will depend on it. */
export const privateAnswers: RequestHandler = (req, res, next) => {
  if (req.user || PRIVATE_PATHS.test(req.path)) noStore(res);
  next();
};

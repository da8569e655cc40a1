// POST /api/plays: the player reports each track it starts, so the dashboard can count plays and
// playlists started, and each track the listener skips or that fails to load, for the curators'
// signals. Anonymous listeners have no CSRF token, so this path is exempt from it (see http/csrf.ts:
// it only adds to counters); a logged-in listener's play goes into their history only when it
// carries their token. It still refuses cross-site requests and anything but JSON, and each IP may
// send a limited number of reports per minute.
//
// Two mounts of one handler: a report without a session cookie (a visitor: most of them) is
// answered before the session stack, which it does not need; one with a cookie goes through the
// session, so a logged-in listener's play reaches their history.
import express, { type RequestHandler, Router } from 'express';
import { hasSessionCookie } from '../accounts/session.js';
import { csrfRefused, hasCsrfToken } from '../http/csrf.js';
import { AppError } from '../lib/errors.js';
import { parse } from '../http/validate.js';
import { playBody } from './plays.schemas.js';
import type { PlaysService } from './plays.service.js';

function reportHandler(plays: PlaysService): RequestHandler {
  return async (req, res) => {
    await plays.admit(req.ip ?? '');
    // A cross-site form cannot send JSON without a CORS preflight, which this site never grants.
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 415, 'Send JSON.');
    const report = parse(playBody, req.body);
    await plays.record(report, req.user && hasCsrfToken(req) ? req.user.id : undefined);
    res.status(204).end();
  };
}

/** The visitors' mount, before the session stack: the same body limit and cross-site refusal as the rest of the site. */
export function createVisitorPlaysRouter({ plays }: { plays: PlaysService }): Router {
  const router = Router();
  router.post(
    '/api/plays',
    (req, _res, next) => next(hasSessionCookie(req) ? 'router' : undefined),
    (req, _res, next) => next(req.headers['sec-fetch-site'] === 'cross-site' ? csrfRefused() : undefined),
    express.json({ limit: '16kb' }),
    reportHandler(plays),
  );
  return router;
}

export function createPlaysRouter({ plays }: { plays: PlaysService }): Router {
  const router = Router();
  router.post('/api/plays', reportHandler(plays));
  return router;
}

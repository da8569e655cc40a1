// POST /api/plays: the player reports each track it starts, so the dashboard can count plays and
// playlists started. Anonymous listeners have no CSRF token, so this path is exempt from it (see
// http/csrf.ts: it only adds to counters); it still refuses cross-site requests and anything but
// JSON, and each IP may report a limited number of plays per minute.
import { Router } from 'express';
import { AppError } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { playBody } from './plays.schemas.js';
import type { PlaysService } from './plays.service.js';

export function createPlaysRouter({ plays }: { plays: PlaysService }): Router {
  const router = Router();

  router.post('/api/plays', async (req, res) => {
    await plays.admit(req.ip ?? '');
    // A cross-site form cannot send JSON without a CORS preflight, which this site never grants.
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 415, 'Send JSON.');
    await plays.record(parse(playBody, req.body));
    res.status(204).end();
  });

  return router;
}

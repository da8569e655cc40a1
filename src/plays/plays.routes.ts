// POST /api/plays: the player reports each track it starts, so the dashboard can count plays and
// playlists started. Anonymous listeners have no CSRF token, so this path is exempt from it (see
// http/csrf.ts: it only adds to counters); it still refuses cross-site requests and anything but
// JSON, and each IP may report a limited number of plays per minute.
import { Router } from 'express';
import type { Knex } from 'knex';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import type { Config } from '../config.js';
import { dialectOf } from '../db/dialect.js';
import { AppError, NotFound } from '../http/errors.js';
import { parse } from '../http/validate.js';
import { createPlaysRepository } from './plays.repository.js';

/** Plays per IP per minute: a listener skipping fast reports far fewer; a script is cut off. */
export const PLAYS_PER_MINUTE = 120;

const playBody = z.object({
  songId: z
    .number({ error: 'must be a song id (a whole number)' })
    .int('must be a whole number')
    .min(1, 'must be a song id')
    .max(2 ** 31 - 1, 'must be a song id'),
  genre: z
    .string({ error: 'must be "drug/mood"' })
    .regex(/^[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}$/, 'must be "drug/mood"')
    .optional(),
  first: z.boolean({ error: 'must be true or false' }).optional(),
});

export function createPlaysRouter({ db, config }: { db: Knex; config: Readonly<Config> }): Router {
  const plays = createPlaysRepository(db);
  const limiter = dialectOf(db).createRateLimiter(db, {
    keyPrefix: 'plays_ip',
    points: PLAYS_PER_MINUTE,
    duration: 60,
    clearExpired: config.env !== 'test',
  });
  const router = Router();

  router.post('/api/plays', async (req, res) => {
    try {
      await limiter.consume(req.ip ?? '');
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      res.set('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      throw new AppError('too_many_plays', 429, 'Too many plays reported from here; try again in a minute.');
    }
    // A cross-site form cannot send JSON without a CORS preflight, which this site never grants.
    if (!req.is('application/json')) throw new AppError('unsupported_media_type', 415, 'Send JSON.');
    const body = parse(playBody, req.body);
    const [drug, mood] = body.genre?.split('/') ?? [];
    // An unknown genre (deleted meanwhile, say) still counts the play, just not for a genre.
    const genreId = drug && mood ? await plays.genreId(drug, mood) : undefined;
    if (!(await plays.record({ songId: body.songId, genreId, first: body.first ?? false }))) throw new NotFound('No such song');
    res.status(204).end();
  });

  return router;
}

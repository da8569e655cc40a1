// Counting plays for the dashboard: each IP may report a limited number per minute, and a play of
// a genre that is gone (deleted meanwhile, say) still counts, just not for a genre.
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { NotFound, TooManyRequests } from '../http/errors.js';
import type { PlaysRepository } from './plays.repository.js';
import type { PlayBody } from './plays.schemas.js';

/** Plays per IP per minute: a listener skipping fast reports far fewer; a script is cut off. */
export const PLAYS_PER_MINUTE = 120;

export function createPlaysService({ plays, limiter }: { plays: PlaysRepository; limiter: RateLimiterAbstract }) {
  return {
    /** Counts one report from this IP; TooManyRequests once the minute's allowance is spent. */
    async admit(ip: string): Promise<void> {
      try {
        await limiter.consume(ip);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw new TooManyRequests('too_many_plays', 'Too many plays reported from here; try again in a minute.', rejection.msBeforeNext / 1000);
      }
    },

    async record(play: PlayBody): Promise<void> {
      const [drug, mood] = play.genre?.split('/') ?? [];
      const genreId = drug && mood ? await plays.genreId(drug, mood) : undefined;
      if (!(await plays.record({ songId: play.songId, genreId, first: play.first ?? false }))) throw new NotFound('No such song');
    },
  };
}

export type PlaysService = ReturnType<typeof createPlaysService>;

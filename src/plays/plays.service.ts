// Play reports: each IP (the web player), and each listener scrobbling from a Subsonic app, may
// send a limited number per minute, whatever their kind. A play is
// counted for the dashboard (and kept in a logged-in listener's history); a skip or a failure is
// no play, but a signal for the curators about the song in its genre. A report naming a genre
// that is gone (deleted meanwhile, say) still counts, just not for a genre.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { NotFound, TooManyRequests } from '../lib/errors.js';
import { spend } from '../http/rate-limit.js';
import type { PlaysRepository, Signal } from './plays.repository.js';
import type { PlayBody } from './plays.schemas.js';

/** Reports per sender (an IP, or a Subsonic app's listener) per minute: a listener skipping fast sends far fewer; a script is cut off. */
export const PLAYS_PER_MINUTE = 120;

/** The play limiter's key of a listener reporting from an app (an IP never looks like this). */
export const listenerSender = (userId: number) => `listener:${userId}`;

/** A skip within this many seconds of a track's start says "not this mood": an early skip. */
export const EARLY_SKIP_SECONDS = 30;

export function createPlaysService({ plays, limiter }: { plays: PlaysRepository; limiter: RateLimiterAbstract }) {
  const genreOf = async (genre: string | undefined) => {
    const [drug, mood] = genre?.split('/') ?? [];
    return drug && mood ? plays.genreId(drug, mood) : undefined;
  };

  return {
    /**
     * Counts `reports` reports from one sender: the web player's IP, or a Subsonic app's listener
     * (`listener(id)`); TooManyRequests once the minute's allowance is spent.
     */
    admit: (sender: string, reports = 1): Promise<void> =>
      spend(limiter, sender, (seconds) => new TooManyRequests('too_many_plays', 'Too many plays reported from here; try again in a minute.', seconds), reports),

    /**
     * Records a report; `userId` is the logged-in listener who sent it, if any, and `at` when it was
     * played if not now (a Subsonic app's scrobble may say). NotFound for an unknown song.
     */
    async record(report: PlayBody, userId?: number, at?: Date): Promise<void> {
      const kind = report.kind ?? 'play';
      if (kind === 'play' && plays.batched) {
        // Counted in memory: the song and the genre are looked up together, in one round trip.
        const [drug, mood] = report.genre?.split('/') ?? [];
        if (!(await plays.countPlay({ songId: report.songId, drug, mood, first: report.first ?? false, userId }, at))) throw new NotFound('No such song');
        return;
      }
      const genreId = await genreOf(report.genre);
      let signal: Signal | undefined;
      if (kind === 'failure') signal = 'failures';
      else if (kind === 'skip') signal = (report.seconds ?? 0) < EARLY_SKIP_SECONDS ? 'early_skips' : 'late_skips';
      const found = signal
        ? await plays.signal(report.songId, genreId, signal)
        : await plays.record({ songId: report.songId, genreId, first: report.first ?? false, userId }, at);
      if (!found) throw new NotFound('No such song');
    },

    /** A listener hid the song from the genre: one more hide in the curators' signals. */
    async recordHide(songId: number, genreId: number, at?: Date): Promise<void> {
      if (!(await plays.signal(songId, genreId, 'hides', at))) throw new NotFound('No such song');
    },
  };
}

export type PlaysService = ReturnType<typeof createPlaysService>;

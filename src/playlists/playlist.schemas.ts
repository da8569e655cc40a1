import { z } from 'zod';
import { decodeCursor, DOSE_PATTERN } from './cursor.js';

/** At most this many songs in a shared list or a saved one: a link stays short enough to paste anywhere. */
export const MAX_LISTED_SONGS = 100;

/** Song ids joined by "-": `12-7-40`. */
export const songIdList = z
  .string({ error: 'must be a single list of song ids' })
  .regex(new RegExp(`^\\d{1,10}(?:-\\d{1,10}){0,${MAX_LISTED_SONGS - 1}}$`), `must be up to ${MAX_LISTED_SONGS} song ids joined by “-”`)
  .transform((text) => text.split('-').map(Number));

// Query values are strings, or arrays when repeated (?limit=5&limit=6): z.string() refuses arrays.
export const playlistQuery = z.object({
  limit: z
    .string({ error: 'must be a single whole number' })
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().min(1, 'must be at least 1').max(100, 'must be at most 100'))
    .optional(),
  cursor: z
    .string({ error: 'must be a single cursor' })
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this server gave out' });
      return cursor!;
    })
    .optional(),
  dose: z.string({ error: 'must be a single dose' }).regex(DOSE_PATTERN, 'is not a valid dose').optional(),
  /** `songs=12-7-40`: exactly these songs first (a list shared as it played), then the walk of `cursor`. */
  songs: songIdList.optional(),
  /** `fresh=1`: the player page starts the listener's radio over with a new walk. */
  fresh: z.literal('1', { error: 'must be 1' }).optional(),
  /** `radio=1`: this continuation is a radio's, to remember for a logged-in listener. */
  radio: z.literal('1', { error: 'must be 1' }).optional(),
});

/** `GET /api/playlists/:drug/:mood/songs?ids=`: which of a browser's saved songs may still play. */
export const savedSongsQuery = z.object({ ids: songIdList });

import { z } from 'zod';
import { displayName, idField as id } from '../http/fields.js';

export const NAME_MAX = 100;

const name = displayName(NAME_MAX);

const returnTo = z.string({ error: 'must be a single path' }).max(2000, 'is too long').optional();

// z.object strips unknown keys: only these fields ever reach the database.
export const nameForm = z.object({ name });
/** A new playlist; with a song, the song goes in at once ("New playlist…" in a row's menu). */
export const createForm = z.object({ name, songId: id('song id').optional(), returnTo });
export const visibilityForm = z.object({ public: z.enum(['0', '1'], { error: 'must be 0 or 1' }).transform((v) => v === '1') });
export const addSongForm = z.object({ songId: id('song id'), returnTo });
/** A row's menu: one of the listener's playlists, or `new` for one to make. */
export const addToPlaylistForm = z.object({ songId: id('song id'), playlistId: z.union([z.literal('new'), id('playlist id')]), returnTo });
export const newPlaylistQuery = z.object({ songId: id('song id').optional(), returnTo });
export const moveForm = z.union(
  [
    z.object({ direction: z.enum(['up', 'down']) }),
    z.object({
      position: z
        .string()
        .regex(/^\d{1,6}$/)
        .transform(Number)
        .pipe(z.number().min(1)),
    }),
  ],
  { error: 'must be up, down or a position from 1' },
);
export const playQuery = z.object({
  order: z.enum(['in-order', 'shuffled'], { error: 'must be in-order or shuffled' }).optional(),
});

export const playlistParams = z.object({ id: id('playlist id') });
export const songParams = z.object({ id: id('playlist id'), songId: id('song id') });
export const shareParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/) });

export type MoveTarget = 'up' | 'down' | number;
export type PlayOrder = 'in-order' | 'shuffled';

// "Not for this vibe": a listener hides a song from their own draws of one genre (the draw passes
// over it, playlists/playlist.repository.ts), sees what they hid, and takes it back.
import { NotFound } from '../lib/errors.js';
import type { HiddenSongsRepository } from './hidden-songs.repository.js';

/** The most a listener's /me/hidden lists. */
const LIST_SIZE = 500;

export interface HiddenSongsServiceDeps {
  hidden: HiddenSongsRepository;
  /** Told of each hide, for the curators' signals (a daily count per song and genre). */
  onHidden?: (songId: number, genreId: number) => Promise<void>;
}

export function createHiddenSongsService({ hidden, onHidden = async () => {} }: HiddenSongsServiceDeps) {
  async function member(genreId: number, songId: number) {
    const found = await hidden.memberSong(genreId, songId);
    if (!found) throw new NotFound('There is no such song in that mood.');
    return found;
  }

  return {
    async hide(userId: number, genreId: number, songId: number) {
      const found = await member(genreId, songId);
      await hidden.hide(userId, genreId, songId);
      await onHidden(songId, genreId);
      return found;
    },

    async unhide(userId: number, genreId: number, songId: number) {
      const found = await member(genreId, songId);
      await hidden.unhide(userId, genreId, songId);
      return found;
    },

    list: (userId: number) => hidden.list(userId, LIST_SIZE),
  };
}

export type HiddenSongsService = ReturnType<typeof createHiddenSongsService>;

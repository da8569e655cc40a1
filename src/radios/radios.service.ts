// A listener's own radio per genre: each visit continues the walk where the last batch left it,
// so no song comes back before the whole mood has played. A logged-in listener's place is kept
// here, saved once per batch drawn, so the radio continues on any device; a visitor's is kept by
// their browser (client/radio.ts), which sends its cursor back. A shared mix (?dose=) is no radio.
import type { Genre, GenreDirectory } from '../catalog/genre.js';
import { decodeCursor } from '../playlists/cursor.js';
import type { BatchRequest, PlaylistBatch, PlaylistService } from '../playlists/playlist.service.js';
import type { RadiosRepository } from './radios.repository.js';

export interface TunedIn {
  genre: Genre;
  batch: PlaylistBatch;
  /** Where this batch began: the listener's saved place, when the radio continued. */
  continuedFrom?: string;
}

export function createRadiosService({
  playlists,
  genres,
  radios,
}: {
  playlists: PlaylistService;
  genres: Pick<GenreDirectory, 'find'>;
  radios: RadiosRepository;
}) {
  /** Draws, and for a listener remembers where the walk stands after this batch. */
  async function drawAndSave(userId: number | undefined, drug: string, mood: string, request: BatchRequest) {
    const drawn = await playlists.drawGenre(drug, mood, request);
    if (drawn && userId !== undefined) await radios.save(userId, drawn.genre.mood.id, drawn.batch.cursor);
    return drawn;
  }

  return {
    /** The page's batch: the listener's radio where they left it, or a fresh walk (`fresh`, or none saved). */
    async tuneIn(userId: number | undefined, drug: string, mood: string, { limit, fresh }: { limit: number; fresh: boolean }): Promise<TunedIn | undefined> {
      const genre = userId !== undefined && !fresh ? await genres.find(drug, mood) : undefined;
      const saved = genre && userId !== undefined ? await radios.find(userId, genre.genre.mood.id) : undefined;
      const cursor = saved === undefined ? undefined : decodeCursor(saved);
      const drawn = await drawAndSave(userId, drug, mood, { limit, cursor, listener: userId });
      return drawn && { ...drawn, continuedFrom: cursor ? saved : undefined };
    },

    /** The radios the listener played lately, the most recent first (the home page offers to continue them). */
    recent: (userId: number, limit = 6) => radios.recent(userId, limit),

    /** The next batch of a radio the player is playing (its cursor), remembered for a listener. */
    continue: (userId: number | undefined, drug: string, mood: string, request: Required<Pick<BatchRequest, 'limit' | 'cursor'>>) =>
      drawAndSave(userId, drug, mood, { ...request, listener: userId }),
  };
}

export type RadiosService = ReturnType<typeof createRadiosService>;

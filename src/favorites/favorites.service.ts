// Favorites: hearts, the listener's list, a shuffle walk over it, and the most favorited lists.
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { type GenreDirectory, genreName } from '../catalog/genre.js';
import { NotFound } from '../lib/errors.js';
import type { BatchRequest, PlaylistBatch, PlaylistService } from '../playlists/playlist.service.js';
import { FAVORITES_PAGE_SIZE, type FavoritesRepository } from './favorites.repository.js';

/** Songs in a most-favorited list. */
const POPULAR_SIZE = 20;

export interface FavoritesServiceDeps {
  favorites: FavoritesRepository;
  catalog: CatalogRepository;
  genres: Pick<GenreDirectory, 'current'>;
  playlists: PlaylistService;
}

export function createFavoritesService({ favorites, catalog, genres, playlists }: FavoritesServiceDeps) {
  /** The songs at these 1-based positions of the listener's favorites (in song id order). */
  async function songsAtPositions(ids: readonly number[], numbers: readonly number[]): Promise<Map<number, Song>> {
    const byId = await favorites.songsByIds(numbers.map((n) => ids[n - 1]).filter((id) => id !== undefined));
    const found = new Map<number, Song>();
    for (const n of numbers) {
      const song = byId.get(ids[n - 1]!);
      if (song) found.set(n, song);
    }
    return found;
  }

  return {
    /** Loves (or stops loving) the song; the song's favorite count afterwards. Idempotent. */
    async setFavorite(userId: number, songId: number, loved: boolean): Promise<number> {
      const count = await (loved ? favorites.add(userId, songId) : favorites.remove(userId, songId));
      if (count === undefined) throw new NotFound('No such song');
      return count;
    },

    /** The listener's favorites with the highest song ids, at most `limit` of them, in song id order. */
    async latest(userId: number, limit: number): Promise<Song[]> {
      const ids = (await favorites.songIds(userId)).slice(-limit);
      const byId = await favorites.songsByIds(ids);
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    },

    /** When the listener made each of these songs a favorite (Subsonic's stars). */
    favoritedAt: (userId: number, songIds: readonly number[]): Promise<Map<number, Date>> => favorites.favoritedAt(userId, songIds),

    /** The `limit` most favorited songs overall. */
    mostFavoritedSongs: (limit: number): Promise<Song[]> => favorites.mostFavorited(limit),

    async page(userId: number, page: number) {
      const { songs, total } = await favorites.page(userId, page);
      return { songs, total, page, pages: Math.max(1, Math.ceil(total / FAVORITES_PAGE_SIZE)) };
    },

    /** The next batch of a shuffle walk over the listener's favorites, numbered 1..N in song id order. */
    async shuffle(userId: number, request: Omit<BatchRequest, 'dose'>): Promise<PlaylistBatch> {
      const ids = await favorites.songIds(userId);
      return playlists.nextBatchFrom({ size: ids.length, songsAt: (numbers) => songsAtPositions(ids, numbers) }, request);
    },

    /** The most favorited songs overall, or of the genre these slugs name (NotFound if none). */
    async mostFavorited(genreSlugs?: { drug: string; mood: string }) {
      const drugs = catalog.listDrugs();
      if (!genreSlugs) return { heading: 'Most favorited', songs: await favorites.mostFavorited(POPULAR_SIZE), drugs: await drugs };
      const genre = await genres.current(genreSlugs.drug, genreSlugs.mood);
      if (!genre) throw new NotFound(`There is no mood “${genreSlugs.mood}” under “${genreSlugs.drug}”.`);
      return {
        genre,
        heading: `Most favorited in ${genreName(genre)}`,
        songs: await favorites.mostFavorited(POPULAR_SIZE, genre.mood.id),
        drugs: await drugs,
      };
    },
  };
}

export type FavoritesService = ReturnType<typeof createFavoritesService>;

// The radio through the Subsonic API: genres are the visible drug · mood pairs, random songs are the
// engine's draws (one statement for a genre), and the rest reads the catalog.
import type { UsersRepository } from '../accounts/users.repository.js';
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import type { FavoritesRepository } from '../favorites/favorites.repository.js';
import type { GenreDirectory } from '../catalog/genre-directory.js';
import type { Genre, Song } from '../catalog/catalog.types.js';
import type { PlaylistService } from '../playlists/playlist.service.js';
import { listenerSender, type PlaysService } from '../plays/plays.service.js';
import type { SubsonicRepository } from './subsonic.repository.js';
import { SubsonicError } from './subsonic.response.js';
import { albumOf, artistOf, genreName } from './subsonic.songs.js';

export interface SubsonicServiceDeps {
  catalog: CatalogRepository;
  directory: GenreDirectory;
  playlists: PlaylistService;
  subsonic: SubsonicRepository;
  favorites: FavoritesRepository;
  plays: PlaysService;
  users: UsersRepository;
  random?: () => number;
}

/** The most songs getStarred lists. */
const STARRED_MAX = 500;

/** The most songs one scrobble may name (an app catching up after being offline sends several). */
export const SCROBBLE_IDS_MAX = 50;

export function createSubsonicService({ catalog, directory, playlists, subsonic, favorites, plays, users, random = Math.random }: SubsonicServiceDeps) {
  async function genreNamed(name: string): Promise<Genre> {
    const genre = (await directory.all()).find((g) => genreName(g) === name);
    if (!genre) throw new SubsonicError(70, `There is no genre “${name}”.`);
    return genre;
  }

  /** `size` songs of one genre, drawn by the engine; the songs the listener hid are passed over. */
  async function drawFrom(genre: Genre, size: number, listener: number): Promise<{ song: Song; genre: Genre }[]> {
    const drawn = await playlists.drawGenre(genre.drug.slug, genre.mood.slug, { limit: size, listener });
    return (drawn?.batch.songs ?? []).map((song) => ({ song, genre }));
  }

  return {
    /** Every visible genre with its song count. */
    async genres() {
      const drugs = await catalog.listDrugs();
      return drugs.flatMap((drug) => drug.moods.map((mood) => ({ name: genreName({ drug, mood }), songCount: mood.songCount })));
    },

    /** From one genre (one engine statement), or from all: each song's genre picked by the genres' sizes. */
    async randomSongs(listener: number, size: number, name?: string) {
      if (name !== undefined) return drawFrom(await genreNamed(name), size, listener);
      const genres = (await directory.all()).filter((g) => g.mood.songCount > 0);
      const total = genres.reduce((sum, g) => sum + g.mood.songCount, 0);
      const shares = new Map<Genre, number>();
      for (let i = 0; i < size && total > 0; i++) {
        let at = random() * total;
        let genre = genres.at(-1)!;
        for (const g of genres) {
          at -= g.mood.songCount;
          if (at < 0) {
            genre = g;
            break;
          }
        }
        shares.set(genre, (shares.get(genre) ?? 0) + 1);
      }
      const drawn = (await Promise.all([...shares].map(([genre, n]) => drawFrom(genre, n, listener)))).flat();
      // Shuffled together, so the genres do not come in blocks (Fisher–Yates).
      for (let i = drawn.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [drawn[i], drawn[j]] = [drawn[j]!, drawn[i]!];
      }
      return drawn;
    },

    async songsByGenre(name: string, count: number, offset: number) {
      const genre = await genreNamed(name);
      return (await subsonic.songsInGenre(genre.mood.id, offset, count)).map((song) => ({ song, genre }));
    },

    async song(id: number) {
      const found = await subsonic.song(id);
      if (!found) throw new SubsonicError(70, 'Song not found');
      return found;
    },

    artists: () => subsonic.artists(),

    async artist(id: string) {
      const name = artistOf(id);
      const albums = name === undefined ? [] : await subsonic.albumsOf(name);
      if (!name || albums.length === 0) throw new SubsonicError(70, 'Artist not found');
      return { name, albums };
    },

    async album(id: string) {
      const found = albumOf(id);
      const songs = found ? await subsonic.albumSongs(found.artist, found.album) : [];
      if (!found || songs.length === 0) throw new SubsonicError(70, 'Album not found');
      return { ...found, songs };
    },

    /** Songs, artists and albums whose names start with the query ("" lists songs: how apps sync). */
    async search(
      query: string,
      counts: { songCount: number; songOffset: number; artistCount: number; artistOffset: number; albumCount: number; albumOffset: number },
    ) {
      const text = query.replace(/^"|"$/g, '').trim();
      const [songs, artists, albums] = await Promise.all([
        subsonic.searchSongs(text, counts.songCount, counts.songOffset),
        text && counts.artistCount ? subsonic.searchArtists(text, counts.artistCount, counts.artistOffset) : [],
        text && counts.albumCount ? subsonic.searchAlbums(text, counts.albumCount, counts.albumOffset) : [],
      ]);
      return { songs, artists, albums };
    },

    async username(userId: number): Promise<string> {
      return (await users.findById(userId))?.username ?? '';
    },

    /** Oneself only: another listener's account is not yours to read (50). */
    async user(userId: number, username: string) {
      const user = await users.findById(userId);
      if (!user || user.username.toLowerCase() !== username.toLowerCase()) throw new SubsonicError(50, 'You may only read your own user.');
      return user;
    },

    /** Stars are favorites: star and unstar change the same hearts as the web pages. */
    async star(userId: number, songIds: readonly number[], starred: boolean) {
      for (const id of songIds) await (starred ? favorites.add(userId, id) : favorites.remove(userId, id));
    },

    async starred(userId: number) {
      const ids = (await favorites.songIds(userId)).slice(-STARRED_MAX);
      const byId = await favorites.songsByIds(ids);
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    },

    /**
     * A finished play counts like the web player's; "now playing" (submission=false) counts nothing.
     * Either way each id is a report against the listener's allowance (the web player's, per
     * minute), and one request names at most SCROBBLE_IDS_MAX songs.
     */
    async scrobble(userId: number, songIds: readonly number[], submission: boolean) {
      if (songIds.length > SCROBBLE_IDS_MAX) throw new SubsonicError(0, `Scrobble at most ${SCROBBLE_IDS_MAX} songs at a time (got ${songIds.length}).`);
      await plays.admit(listenerSender(userId), songIds.length);
      if (!submission) return;
      for (const songId of songIds) await plays.record({ songId, kind: 'play' }, userId);
    },
  };
}

export type SubsonicService = ReturnType<typeof createSubsonicService>;

// The radio through the Subsonic API: genres are the visible drug · mood pairs, random songs are the
// engine's draws (one statement for a genre), "similar" songs are draws from the moods a song,
// album or artist is heard in, and the rest reads the catalog.
import type { AccountsService } from '../accounts/accounts.service.js';
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import type { FavoritesService } from '../favorites/favorites.service.js';
import type { HistoryService } from '../history/history.service.js';
import type { Song } from '../catalog/catalog.types.js';
import { type Genre, type GenreDirectory, genreName } from '../catalog/genre.js';
import type { PlaylistService } from '../playlists/playlist.service.js';
import { listenerSender, type PlaysService } from '../plays/plays.service.js';
import { shuffled } from '../random.js';
import type { SubsonicListenerRepository } from './subsonic-listener.repository.js';
import type { AlbumKey, AlbumListType, AlbumRow, SubsonicRepository } from './subsonic.repository.js';
import { SubsonicError } from './subsonic.response.js';
import { albumOf, artistOf } from './subsonic.songs.js';

/**
 * Subsonic's own reads and writes go through its repositories; everything else through the owning
 * capability's service (the catalog's reads, which have no rules, through its repository and genre
 * directory, as every capability reads them).
 */
export interface SubsonicServiceDeps {
  catalog: CatalogRepository;
  directory: GenreDirectory;
  playlists: PlaylistService;
  subsonic: SubsonicRepository;
  listener: SubsonicListenerRepository;
  favorites: FavoritesService;
  history: Pick<HistoryService, 'recentAlbums'>;
  plays: PlaysService;
  accounts: AccountsService;
  random?: () => number;
}

/** The most songs getStarred lists. */
const STARRED_MAX = 500;

/** The most songs one scrobble may name (an app catching up after being offline sends several). */
export const SCROBBLE_IDS_MAX = 50;

/** Rounds of draws getRandomSongs makes to replace songs drawn twice (a song may be in several moods). */
const DRAW_ROUNDS = 6;

/** Every album list type of getAlbumList and getAlbumList2. */
export const ALBUM_LIST_TYPES = [
  'random',
  'newest',
  'highest',
  'frequent',
  'recent',
  'alphabeticalByName',
  'alphabeticalByArtist',
  'starred',
  'byYear',
  'byGenre',
] as const;
export type AlbumListKind = (typeof ALBUM_LIST_TYPES)[number];

export function createSubsonicService({
  catalog,
  directory,
  playlists,
  subsonic,
  listener,
  favorites,
  history,
  plays,
  accounts,
  random = Math.random,
}: SubsonicServiceDeps) {
  async function genreNamed(name: string): Promise<Genre> {
    const genre = await directory.named(name);
    if (!genre) throw new SubsonicError(70, `There is no genre “${name}”.`);
    return genre;
  }

  /** `size` songs of one genre, drawn by the engine; the songs the listener hid are passed over. */
  async function drawFrom(genre: Genre, size: number, userId: number): Promise<{ song: Song; genre: Genre }[]> {
    const drawn = await playlists.drawGenre(genre.drug.slug, genre.mood.slug, { limit: size, listener: userId });
    return (drawn?.batch.songs ?? []).map((song) => ({ song, genre }));
  }

  /** Picks a genre at random, weighted by its size. */
  function pickWeighted(genres: readonly Genre[], total: number): Genre {
    let at = random() * total;
    for (const g of genres) {
      at -= g.mood.songCount;
      if (at < 0) return g;
    }
    return genres.at(-1)!;
  }

  /**
   * `size` distinct songs from these genres, each drawn from a genre picked by the genres' sizes,
   * none of `exclude`. A song in several moods may be drawn twice: each round draws again for the
   * places still empty, so the answer repeats no song whatever the genre mix.
   */
  async function drawDistinct(genres: readonly Genre[], size: number, userId: number, exclude: ReadonlySet<number> = new Set()) {
    const sized = genres.filter((g) => g.mood.songCount > 0);
    const total = sized.reduce((sum, g) => sum + g.mood.songCount, 0);
    const chosen = new Map<number, { song: Song; genre: Genre }>();
    for (let round = 0; round < DRAW_ROUNDS && chosen.size < size && total > 0; round++) {
      const shares = new Map<Genre, number>();
      for (let i = chosen.size; i < size; i++) {
        const genre = pickWeighted(sized, total);
        shares.set(genre, (shares.get(genre) ?? 0) + 1);
      }
      // Later rounds draw more than the places left (four times as many each round), as the songs
      // met already are more and more of what a draw brings.
      for (const [genre, n] of shares) shares.set(genre, Math.min(genre.mood.songCount, n * 4 ** round));
      const drawn = (await Promise.all([...shares].map(([genre, n]) => drawFrom(genre, n, userId)))).flat();
      for (const item of drawn) if (chosen.size < size && !exclude.has(item.song.id) && !chosen.has(item.song.id)) chosen.set(item.song.id, item);
    }
    // Shuffled together, so the genres do not come in blocks.
    return shuffled([...chosen.values()], random);
  }

  async function artistNamed(id: string): Promise<{ name: string; albums: AlbumRow[] }> {
    const name = artistOf(id);
    const albums = name === undefined ? [] : await subsonic.albumsOf(name);
    if (!name || albums.length === 0) throw new SubsonicError(70, 'Artist not found');
    return { name, albums };
  }

  async function albumNamed(id: string): Promise<AlbumKey & { songs: Song[] }> {
    const found = albumOf(id);
    const songs = found ? await subsonic.albumSongs(found.artist, found.album) : [];
    if (!found || songs.length === 0) throw new SubsonicError(70, 'Album not found');
    return { ...found, songs };
  }

  /** The songs an id stands for: a song's own, an album's or an artist's (some of them). */
  async function songsOf(id: string): Promise<{ songs: Song[]; artist?: string }> {
    if (id.startsWith('al-')) return { songs: (await albumNamed(id)).songs };
    if (id.startsWith('ar-')) {
      const { name } = await artistNamed(id);
      return { songs: await subsonic.topSongs(name, 50), artist: name };
    }
    if (!/^[1-9]\d{0,9}$/.test(id)) throw new SubsonicError(70, 'Not found');
    const found = await subsonic.song(Number(id));
    if (!found) throw new SubsonicError(70, 'Song not found');
    return { songs: [found.song] };
  }

  /** These songs, all of them, or error 70 naming the first that is not in the catalog. */
  async function existingSongs(ids: readonly number[]): Promise<Song[]> {
    const songs = await subsonic.songsByIds(ids);
    const found = new Set(songs.map((s) => s.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw new SubsonicError(70, `Song ${missing} not found`);
    return songs;
  }

  return {
    genreNamed,
    existingSongs,

    /** Every visible genre with its song count. */
    async genres() {
      const drugs = await catalog.listDrugs();
      return drugs.flatMap((drug) => drug.moods.map((mood) => ({ name: genreName({ drug, mood }), songCount: mood.songCount })));
    },

    /** From one genre (one engine statement), or from all by the genres' sizes, each song once. */
    async randomSongs(userId: number, size: number, name?: string) {
      if (name !== undefined) return drawFrom(await genreNamed(name), size, userId);
      return drawDistinct(await directory.all(), size, userId);
    },

    /** Songs heard in the same moods as this song, album or artist (none of theirs). */
    async similarSongs(userId: number, id: string, count: number) {
      const { songs } = await songsOf(id);
      const genreIds = new Set(await subsonic.genreIdsOf(songs.map((s) => s.id)));
      const genres = (await directory.all()).filter((g) => genreIds.has(g.mood.id));
      return drawDistinct(genres, count, userId, new Set(songs.map((s) => s.id)));
    },

    /** Other artists heard in this artist's moods, and the moods' names. */
    async artistInfo(id: string, count: number) {
      const { name } = await artistNamed(id);
      const songs = await subsonic.topSongs(name, 200);
      const genreIds = await subsonic.genreIdsOf(songs.map((s) => s.id));
      const moods = (await directory.all()).filter((g) => genreIds.includes(g.mood.id)).map(genreName);
      return { name, moods, similar: await subsonic.artistsInGenres(genreIds, name, count) };
    },

    async albumInfo(id: string) {
      const album = await albumNamed(id);
      const genreIds = await subsonic.genreIdsOf(album.songs.map((s) => s.id));
      return { ...album, moods: (await directory.all()).filter((g) => genreIds.includes(g.mood.id)).map(genreName) };
    },

    async topSongs(artist: string, count: number) {
      return subsonic.topSongs(artist, count);
    },

    /** One page of one of the album lists apps open on. */
    async albumList(userId: number, type: AlbumListKind, size: number, offset: number, filter: { fromYear?: number; toYear?: number; genre?: string }) {
      let keys: AlbumKey[];
      if (type === 'random') keys = await subsonic.randomAlbumKeys(size, random);
      else if (type === 'starred' || type === 'highest') keys = await listener.markedAlbums(userId, type === 'starred' ? 'starred' : 'rating', size, offset);
      else if (type === 'recent') keys = await history.recentAlbums(userId, size, offset);
      else if (type === 'byGenre') {
        if (filter.genre === undefined) throw new SubsonicError(10, 'Required parameter is missing: genre');
        keys = await subsonic.albumKeys('byGenre', size, offset, { genreId: (await genreNamed(filter.genre)).mood.id });
      } else {
        if (type === 'byYear' && (filter.fromYear === undefined || filter.toYear === undefined)) {
          throw new SubsonicError(10, `Required parameter is missing: ${filter.fromYear === undefined ? 'fromYear' : 'toYear'}`);
        }
        keys = await subsonic.albumKeys(type as AlbumListType, size, offset, filter);
      }
      return subsonic.albumsByKeys(keys);
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
    /** These artists with their album counts. */
    async withAlbumCounts(artists: readonly string[]) {
      const counts = await subsonic.albumCounts(artists);
      return artists.map((artist) => ({ artist, albumCount: counts.get(artist.toLowerCase()) ?? 0 }));
    },
    albumsByKeys: (keys: readonly AlbumKey[]) => subsonic.albumsByKeys(keys),
    artist: artistNamed,
    album: albumNamed,
    songCount: () => subsonic.songCount(),

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
      const albumCounts = await subsonic.albumCounts(artists);
      return { songs, artists: artists.map((artist) => ({ artist, albumCount: albumCounts.get(artist.toLowerCase()) ?? 0 })), albums };
    },

    async username(userId: number): Promise<string> {
      return (await accounts.user(userId))?.username ?? '';
    },

    /** Oneself only: another listener's account is not yours to read (50). */
    async user(userId: number, username: string) {
      const user = await accounts.user(userId);
      if (!user || user.username.toLowerCase() !== username.toLowerCase()) throw new SubsonicError(50, 'You may only read your own user.');
      return user;
    },

    /** Stars of songs are favorites: star and unstar change the same hearts as the web pages. */
    async star(userId: number, songIds: readonly number[], starred: boolean) {
      for (const id of songIds) await favorites.setFavorite(userId, id, starred);
    },

    starred: (userId: number) => favorites.latest(userId, STARRED_MAX),

    /**
     * A finished play counts like the web player's, at `time` when the app says when it was heard;
     * "now playing" (submission=false) counts no play but shows in getNowPlaying. Either way each
     * id is a report against the listener's allowance (the web player's, per minute), and one
     * request names at most SCROBBLE_IDS_MAX songs.
     */
    async scrobble(userId: number, songIds: readonly number[], submission: boolean, options: { at?: Date; player: string }) {
      if (songIds.length > SCROBBLE_IDS_MAX) throw new SubsonicError(0, `Scrobble at most ${SCROBBLE_IDS_MAX} songs at a time (got ${songIds.length}).`);
      await plays.admit(listenerSender(userId), songIds.length);
      if (!submission) {
        await existingSongs(songIds);
        await listener.nowPlaying(userId, songIds.at(-1)!, options.player);
        return;
      }
      for (const songId of songIds) await plays.record({ songId, kind: 'play' }, userId, options.at);
    },
  };
}

export type SubsonicService = ReturnType<typeof createSubsonicService>;

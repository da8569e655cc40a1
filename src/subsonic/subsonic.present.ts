// Songs, albums and artists in the shapes of the Subsonic schema (Child, AlbumID3, ArtistID3,
// Artist), each with what the asking listener marked it with: a song's star is the date they made
// it a favorite, its rating and bookmark theirs; an album's and an artist's stars and ratings too.
// A song's cover is its own (an upload's embedded picture) or else its first mood's drug artwork;
// an album's, an artist's and a playlist's cover is their own id, which getCoverArt draws as their
// first song's cover. A song's replayGain is its measured loudness in ReplayGain 2.0's terms.
import type { Song } from '../catalog/catalog.types.js';
import { type Genre, type GenreDirectory, genreName } from '../catalog/genre.js';
import type { FavoritesService } from '../favorites/favorites.service.js';
import type { Marks, SongMarks, SubsonicListenerRepository } from './subsonic-listener.repository.js';
import type { AlbumKey, AlbumRow, SubsonicRepository } from './subsonic.repository.js';
import { replayGainOf } from '../catalog/song-media.js';
import { albumId, albumName, artistId, drugCoverId, fileTypeOf, songCoverId } from './subsonic.songs.js';

const iso = (date: Date | undefined) => date?.toISOString();
const albumText = (k: AlbumKey) => JSON.stringify([k.artist, k.album]).toLowerCase();

export function createSubsonicPresenter({
  subsonic,
  listener,
  favorites,
  directory,
}: {
  subsonic: SubsonicRepository;
  listener: SubsonicListenerRepository;
  /** A song's star is the listener's favorite, starred when it was made one. */
  favorites: Pick<FavoritesService, 'favoritedAt'>;
  directory: GenreDirectory;
}) {
  /** Songs as Child elements; `genre` when the answer is about one genre, or a song's own (a draw's). */
  async function songs(userId: number, list: readonly Song[], genre?: Genre | ((song: Song, index: number) => Genre | undefined)) {
    const ids = list.map((s) => s.id);
    const [facts, marks, stars, genres] = await Promise.all([
      subsonic.songFacts(ids),
      listener.songMarks(userId, ids),
      favorites.favoritedAt(userId, ids),
      directory.all(),
    ]);
    const genreById = new Map(genres.map((g) => [g.mood.id, g]));
    return list.map((song, index) => {
      const fact = facts.get(song.id);
      const mark: SongMarks = marks.get(song.id) ?? {};
      const given = typeof genre === 'function' ? genre(song, index) : genre;
      const its = given ?? (fact?.genreId === undefined ? undefined : genreById.get(fact.genreId));
      // `stream` sends the compressed copy when there is one; `download`, and these figures, the original.
      const streamed = song.streamUrl ? fileTypeOf(song.streamUrl) : undefined;
      return {
        id: String(song.id),
        parent: albumId(song.artist, song.album),
        isDir: false,
        title: song.title,
        album: albumName(song.album),
        artist: song.artist,
        track: song.track ?? undefined,
        year: song.year ?? undefined,
        genre: its ? genreName(its) : undefined,
        coverArt: song.cover ? songCoverId(song.id) : drugCoverId(its?.drug.slug ?? 'default'),
        size: fact?.sizeBytes,
        ...fileTypeOf(song.url),
        ...(streamed && { transcodedContentType: streamed.contentType, transcodedSuffix: streamed.suffix }),
        duration: song.durationSeconds ?? undefined,
        bitRate: fact?.bitRate,
        isVideo: false,
        userRating: mark.rating,
        created: iso(fact?.created),
        starred: iso(stars.get(song.id)),
        albumId: albumId(song.artist, song.album),
        artistId: artistId(song.artist),
        type: 'music',
        bookmarkPosition: mark.bookmarkMs,
        // OpenSubsonic: always there on a song, empty until its loudness is measured.
        replayGain: replayGainOf(song.loudness),
      };
    });
  }

  /** The listener's marks of these albums, by albumText. */
  const albumMarks = (userId: number, rows: readonly AlbumKey[]) => listener.albumMarks(userId, rows);

  return {
    songs,

    /** Drawn songs, each with the genre it was drawn from. */
    drawn: (userId: number, items: readonly { song: Song; genre: Genre }[]) =>
      songs(
        userId,
        items.map((i) => i.song),
        (_song, index) => items[index]!.genre,
      ),

    /** One song as a Child. */
    async song(userId: number, song: Song, genre?: Genre) {
      return (await songs(userId, [song], genre))[0]!;
    },

    /** Albums as AlbumID3 (getAlbumList2, getArtist, search3, getStarred2). */
    async albums(userId: number, rows: readonly AlbumRow[]) {
      const marks = await albumMarks(userId, rows);
      return rows.map((a) => ({
        id: albumId(a.artist, a.album),
        name: albumName(a.album),
        artist: a.artist,
        artistId: artistId(a.artist),
        coverArt: albumId(a.artist, a.album),
        songCount: a.songCount,
        duration: a.duration,
        created: a.created.toISOString(),
        starred: iso(marks.get(albumText(a))?.starred),
        year: a.year,
      }));
    },

    /** Albums as directories, Child elements with isDir (getAlbumList, getMusicDirectory, search2, getStarred). */
    async albumDirs(userId: number, rows: readonly AlbumRow[]) {
      const marks = await albumMarks(userId, rows);
      return rows.map((a) => {
        const mark: Marks = marks.get(albumText(a)) ?? {};
        return {
          id: albumId(a.artist, a.album),
          parent: artistId(a.artist),
          isDir: true,
          title: albumName(a.album),
          album: albumName(a.album),
          artist: a.artist,
          year: a.year,
          coverArt: albumId(a.artist, a.album),
          duration: a.duration,
          userRating: mark.rating,
          created: a.created.toISOString(),
          starred: iso(mark.starred),
          artistId: artistId(a.artist),
        };
      });
    },

    /** Artists as ArtistID3 (getArtists, search3, getStarred2) with their album counts. */
    async artistsId3(userId: number, rows: readonly { artist: string; albumCount: number }[]) {
      const marks = await listener.artistMarks(
        userId,
        rows.map((r) => r.artist),
      );
      return rows.map(({ artist, albumCount }) => ({
        id: artistId(artist),
        name: artist,
        coverArt: artistId(artist),
        albumCount,
        starred: iso(marks.get(artist.toLowerCase())?.starred),
      }));
    },

    /** Artists as Artist (getIndexes, search2, getStarred, getArtistInfo): no album count there. */
    async artists(userId: number, names: readonly string[]) {
      const marks = await listener.artistMarks(userId, names);
      return names.map((name) => {
        const mark: Marks = marks.get(name.toLowerCase()) ?? {};
        return { id: artistId(name), name, starred: iso(mark.starred), userRating: mark.rating };
      });
    },
  };
}

export type SubsonicPresenter = ReturnType<typeof createSubsonicPresenter>;

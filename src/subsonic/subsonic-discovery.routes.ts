// Finding music from a Subsonic app: genres (the moods), random songs (the engine's draws), a song,
// an artist's top songs (their most favorited), "similar" songs and artists (heard in the same
// moods), what we can tell of an artist or an album (the moods they are heard in), and lyrics —
// which Stereodose does not keep, so they are always empty.
import { z } from 'zod';
import { ElementText, SubsonicError } from './subsonic.response.js';
import { idOf, type Method, methodParams, wholeNumber, type MethodDeps } from './subsonic.method.js';
import { albumName } from './subsonic.songs.js';

const random = z.object({
  size: wholeNumber(1, 500, 10),
  genre: z.string().max(200).optional(),
  fromYear: z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().min(0).max(9999).optional()),
  toYear: z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().min(0).max(9999).optional()),
});
const byGenre = z.object({ genre: z.string().max(200), count: wholeNumber(1, 500, 10), offset: wholeNumber(0, 2 ** 31 - 1, 0) });
const top = z.object({ artist: z.string().max(200), count: wholeNumber(0, 500, 50) });
const similar = z.object({ id: z.string().max(2000), count: wholeNumber(1, 500, 50) });
const info = z.object({ id: z.string().max(2000), count: wholeNumber(0, 100, 20), includeNotPresent: z.string().optional() });
const byId = z.object({ id: z.string().max(2000) });
const lyrics = z.object({ artist: z.string().max(200).optional(), title: z.string().max(200).optional() });

export function discoveryMethods(method: Method, { subsonic, present }: MethodDeps): void {
  method('getGenres', async () => ({
    genres: { genre: (await subsonic.genres()).map((g) => ({ songCount: g.songCount, albumCount: 0, value: g.name })) },
  }));

  method('getRandomSongs', async (_req, _res, params, userId) => {
    const { size, genre } = methodParams(random, params);
    return { randomSongs: { song: await present.drawn(userId, await subsonic.randomSongs(userId, size, genre)) } };
  });

  method('getSongsByGenre', async (_req, _res, params, userId) => {
    const { genre, count, offset } = methodParams(byGenre, params);
    const songs = await subsonic.songsByGenre(genre, count, offset);
    return {
      songsByGenre: {
        song: await present.songs(
          userId,
          songs.map((s) => s.song),
          songs[0]?.genre,
        ),
      },
    };
  });

  method('getSong', async (_req, _res, params, userId) => {
    const { song, genre } = await subsonic.song(idOf(params.id, 'id', 'Song'));
    return { song: await present.song(userId, song, genre) };
  });

  method('getTopSongs', async (_req, _res, params, userId) => {
    const { artist, count } = methodParams(top, params);
    return { topSongs: { song: await present.songs(userId, await subsonic.topSongs(artist, count)) } };
  });

  const similarSongs = async (params: Record<string, string | undefined>, userId: number) => {
    const { id, count } = methodParams(similar, params);
    return present.drawn(userId, await subsonic.similarSongs(userId, id, count));
  };
  method('getSimilarSongs', async (_req, _res, params, userId) => ({ similarSongs: { song: await similarSongs(params, userId) } }));
  method('getSimilarSongs2', async (_req, _res, params, userId) => {
    if (!params.id?.startsWith('ar-')) throw new SubsonicError(70, 'Artist not found');
    return { similarSongs2: { song: await similarSongs(params, userId) } };
  });

  // Biography: the moods the artist is heard in; similar artists: those heard in the same moods.
  const artistInfo = async (params: Record<string, string | undefined>) => {
    const { id, count } = methodParams(info, params);
    const { name, moods, similar: others } = await subsonic.artistInfo(id, count);
    const biography = moods.length > 0 ? `${name} is heard on Stereodose in ${moods.join(', ')}.` : `${name} is on Stereodose.`;
    return { biography: new ElementText(biography), others };
  };
  method('getArtistInfo', async (_req, _res, params, userId) => {
    const { biography, others } = await artistInfo(params);
    return { artistInfo: { biography, similarArtist: await present.artists(userId, others) } };
  });
  method('getArtistInfo2', async (_req, _res, params, userId) => {
    const { biography, others } = await artistInfo(params);
    return { artistInfo2: { biography, similarArtist: await present.artistsId3(userId, await subsonic.withAlbumCounts(others)) } };
  });

  const albumInfo = async (params: Record<string, string | undefined>) => {
    const album = await subsonic.albumInfo(methodParams(byId, params).id);
    const heard = album.moods.length > 0 ? `, heard in ${album.moods.join(', ')}` : '';
    return { albumInfo: { notes: new ElementText(`${albumName(album.album)} by ${album.artist}: ${album.songs.length} songs on Stereodose${heard}.`) } };
  };
  method('getAlbumInfo', (_req, _res, params) => albumInfo(params));
  method('getAlbumInfo2', (_req, _res, params) => albumInfo(params));

  // No lyrics are kept: the answers are empty, as the spec allows when there are none.
  method('getLyrics', (_req, _res, params) => {
    methodParams(lyrics, params);
    return { lyrics: { value: '' } };
  });
  method('getLyricsBySongId', async (_req, _res, params) => {
    await subsonic.song(idOf(params.id, 'id', 'Song'));
    return { lyricsList: {} };
  });
}

// Browsing the catalog from a Subsonic app, by tags (getArtists, getArtist, getAlbum, getAlbumList2,
// search3) and by folders (getIndexes, getMusicDirectory, getAlbumList, search2): an artist is a
// directory of albums, an album a directory of songs, and both have the same ids either way.
import { z } from 'zod';
import { type Method, methodParams, wholeNumber, type MethodDeps } from './subsonic.method.js';
import { SubsonicError } from './subsonic.response.js';
import { ALBUM_LIST_TYPES } from './subsonic.service.js';
import { albumId, albumName, artistId } from './subsonic.songs.js';

/** Artists by their first letter ("#" for the rest), as getArtists and getIndexes list them. */
function byLetter<T extends { name: string }>(artists: readonly T[]) {
  const letters = new Map<string, T[]>();
  for (const artist of artists) {
    const letter = /^[a-z]/i.test(artist.name) ? artist.name[0]!.toUpperCase() : '#';
    letters.set(letter, [...(letters.get(letter) ?? []), artist]);
  }
  return [...letters].map(([name, artist]) => ({ name, artist }));
}

const byId = z.object({ id: z.string().max(2000) });
const search = z.object({
  query: z.string().max(200).default(''),
  songCount: wholeNumber(0, 500, 20),
  songOffset: wholeNumber(0, 2 ** 31 - 1, 0),
  artistCount: wholeNumber(0, 500, 20),
  artistOffset: wholeNumber(0, 2 ** 31 - 1, 0),
  albumCount: wholeNumber(0, 500, 20),
  albumOffset: wholeNumber(0, 2 ** 31 - 1, 0),
});
const albumList = z.object({
  type: z.enum(ALBUM_LIST_TYPES),
  size: wholeNumber(1, 500, 10),
  offset: wholeNumber(0, 2 ** 31 - 1, 0),
  fromYear: z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().min(0).max(9999).optional()),
  toYear: z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().min(0).max(9999).optional()),
  genre: z.string().max(200).optional(),
});

export function libraryMethods(method: Method, { subsonic, present }: MethodDeps): void {
  method('getArtists', async (_req, _res, _params, userId) => ({
    artists: { ignoredArticles: '', index: byLetter(await present.artistsId3(userId, await subsonic.artists())) },
  }));
  method('getIndexes', async (_req, _res, _params, userId) => {
    const names = (await subsonic.artists()).map((a) => a.artist);
    return { indexes: { lastModified: 0, ignoredArticles: '', index: byLetter(await present.artists(userId, names)) } };
  });

  method('getArtist', async (_req, _res, params, userId) => {
    const { name, albums } = await subsonic.artist(methodParams(byId, params).id);
    const [artist] = await present.artistsId3(userId, [{ artist: name, albumCount: albums.length }]);
    return { artist: { ...artist, album: await present.albums(userId, albums) } };
  });

  method('getAlbum', async (_req, _res, params, userId) => {
    const album = await subsonic.album(methodParams(byId, params).id);
    const [row] = await subsonic.albumsByKeys([album]);
    const [shown] = await present.albums(userId, [row!]);
    return { album: { ...shown, song: await present.songs(userId, album.songs) } };
  });

  // An artist's directory holds their albums; an album's, its songs.
  method('getMusicDirectory', async (_req, _res, params, userId) => {
    const { id } = methodParams(byId, params);
    if (id.startsWith('ar-')) {
      const { name, albums } = await subsonic.artist(id);
      return { directory: { id, parent: '1', name, child: await present.albumDirs(userId, albums) } };
    }
    if (id.startsWith('al-')) {
      const album = await subsonic.album(id);
      const [row] = await subsonic.albumsByKeys([album]);
      const [dir] = await present.albumDirs(userId, [row!]);
      return {
        directory: {
          id: albumId(album.artist, album.album),
          parent: artistId(album.artist),
          name: albumName(album.album),
          starred: dir?.starred,
          userRating: dir?.userRating,
          child: await present.songs(userId, album.songs),
        },
      };
    }
    throw new SubsonicError(70, 'Directory not found');
  });

  const listOf = async (params: Record<string, string | undefined>, userId: number) => {
    const { type, size, offset, ...filter } = methodParams(albumList, params);
    return subsonic.albumList(userId, type, size, offset, filter);
  };
  method('getAlbumList', async (_req, _res, params, userId) => ({ albumList: { album: await present.albumDirs(userId, await listOf(params, userId)) } }));
  method('getAlbumList2', async (_req, _res, params, userId) => ({ albumList2: { album: await present.albums(userId, await listOf(params, userId)) } }));

  const searched = async (params: Record<string, string | undefined>) => {
    const counts = methodParams(search, params);
    return subsonic.search(counts.query, counts);
  };
  method('search2', async (_req, _res, params, userId) => {
    const found = await searched(params);
    return {
      searchResult2: {
        artist: await present.artists(
          userId,
          found.artists.map((a) => a.artist),
        ),
        album: await present.albumDirs(userId, found.albums),
        song: await present.songs(userId, found.songs),
      },
    };
  });
  method('search3', async (_req, _res, params, userId) => {
    const found = await searched(params);
    return {
      searchResult3: {
        artist: await present.artistsId3(userId, found.artists),
        album: await present.albums(userId, found.albums),
        song: await present.songs(userId, found.songs),
      },
    };
  });
}

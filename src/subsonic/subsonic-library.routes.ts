// Browsing the catalog from a Subsonic app: artists and albums as far as the catalog's artist and
// album fields allow, and search3 on the admin search's indexes.
import { z } from 'zod';
import type { AlbumRow } from './subsonic.repository.js';
import { type Method, methodParams, wholeNumber } from './subsonic.method.js';
import type { SubsonicService } from './subsonic.service.js';
import { albumId, albumName, artistId, toChild } from './subsonic.songs.js';

const albumOfRow = (a: AlbumRow) => ({
  id: albumId(a.artist, a.album),
  name: albumName(a.album),
  title: albumName(a.album),
  artist: a.artist,
  artistId: artistId(a.artist),
  songCount: a.songCount,
  duration: a.duration,
  isDir: true,
});

/** Artists by their first letter ("#" for the rest), as getArtists and getIndexes list them. */
function indexOf(artists: { artist: string; albumCount: number }[]) {
  const byLetter = new Map<string, { id: string; name: string; albumCount: number }[]>();
  for (const { artist, albumCount } of artists) {
    const letter = /^[a-z]/i.test(artist) ? artist[0]!.toUpperCase() : '#';
    byLetter.set(letter, [...(byLetter.get(letter) ?? []), { id: artistId(artist), name: artist, albumCount }]);
  }
  return [...byLetter].map(([name, artist]) => ({ name, artist }));
}

const byId = z.object({ id: z.string() });
const search = z.object({
  query: z.string().max(200),
  songCount: wholeNumber(0, 500, 20),
  songOffset: wholeNumber(0, 2 ** 31 - 1, 0),
  artistCount: wholeNumber(0, 500, 20),
  artistOffset: wholeNumber(0, 2 ** 31 - 1, 0),
  albumCount: wholeNumber(0, 500, 20),
  albumOffset: wholeNumber(0, 2 ** 31 - 1, 0),
});

export function libraryMethods(method: Method, subsonic: SubsonicService): void {
  method('getArtists', async () => ({ artists: { ignoredArticles: '', index: indexOf(await subsonic.artists()) } }));
  method('getIndexes', async () => ({ indexes: { lastModified: 0, ignoredArticles: '', index: indexOf(await subsonic.artists()) } }));

  method('getArtist', async (_req, _res, params) => {
    const { name, albums } = await subsonic.artist(methodParams(byId, params).id);
    return { artist: { id: artistId(name), name, albumCount: albums.length, album: albums.map(albumOfRow) } };
  });

  method('getAlbum', async (_req, _res, params) => {
    const { artist, album, songs } = await subsonic.album(methodParams(byId, params).id);
    const duration = songs.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);
    const ids = { parent: albumId(artist, album), albumId: albumId(artist, album), artistId: artistId(artist) };
    return { album: { ...albumOfRow({ artist, album, songCount: songs.length, duration }), song: songs.map((song) => ({ ...toChild(song), ...ids })) } };
  });

  method('search3', async (_req, _res, params) => {
    const counts = methodParams(search, params);
    const found = await subsonic.search(counts.query, counts);
    return {
      searchResult3: {
        artist: found.artists.map((name) => ({ id: artistId(name), name })),
        album: found.albums.map(albumOfRow),
        song: found.songs.map((song) => toChild(song)),
      },
    };
  });
}

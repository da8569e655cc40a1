// A listener's own marks from a Subsonic app: stars (a song's star is its favorite, an album's and an
// artist's are kept beside), ratings, scrobbles (plays) and their user.
import type { Request } from 'express';
import { z } from 'zod';
import { allOf } from './subsonic.auth.js';
import { type Item, itemOf } from './subsonic-listener.service.js';
import { type Method, type MethodDeps, methodParams, songIdsOf } from './subsonic.method.js';
import { SubsonicError } from './subsonic.response.js';

/** What star and unstar name: songs, albums or artists by `id`, albums by `albumId`, artists by `artistId`. */
function itemsOf(req: Request): Item[] {
  const ids = [...allOf(req, 'id'), ...allOf(req, 'albumId'), ...allOf(req, 'artistId')];
  if (ids.length === 0) throw new SubsonicError(10, 'Required parameter is missing: id, albumId or artistId');
  return ids.map((id) => itemOf(id.slice(0, 2000)));
}

/** What getUser says a listener may do here. */
const ROLES = {
  scrobblingEnabled: true,
  settingsRole: false,
  downloadRole: true,
  uploadRole: false,
  playlistRole: true,
  coverArtRole: false,
  commentRole: false,
  podcastRole: false,
  streamRole: true,
  jukeboxRole: false,
  shareRole: false,
  videoConversionRole: false,
};

const rating = z.object({ id: z.string().max(2000), rating: z.preprocess((v) => (v === undefined ? v : Number(v)), z.number().int().min(0).max(5)) });
const scrobble = z.object({
  submission: z.enum(['true', 'false']).default('true'),
  // Milliseconds since 1970; a time in the future is taken as now.
  time: z.preprocess((v) => (v === undefined ? v : Number(v)), z.number().int().min(0).max(8.64e15).optional()),
  c: z.string().optional(),
});

export function listenerMethods(method: Method, { subsonic, listener, present }: MethodDeps): void {
  method('getUser', async (_req, _res, params, userId) => {
    const user = await subsonic.user(userId, methodParams(z.object({ username: z.string() }), params).username);
    return { user: { username: user.username, email: user.email ?? undefined, adminRole: user.isAdmin, ...ROLES, folder: [1] } };
  });

  method('star', async (req, _res, _params, userId) => {
    await listener.star(userId, itemsOf(req), true);
    return {};
  });
  method('unstar', async (req, _res, _params, userId) => {
    await listener.star(userId, itemsOf(req), false);
    return {};
  });
  method('setRating', async (_req, _res, params, userId) => {
    const { id, rating: value } = methodParams(rating, params);
    await listener.rate(userId, itemOf(id), value);
    return {};
  });

  const starred = async (userId: number) => {
    const [songs, albums, artists] = await Promise.all([subsonic.starred(userId), listener.starredAlbums(userId), listener.starredArtists(userId)]);
    return { songs: await present.songs(userId, songs), albums, artists };
  };
  method('getStarred', async (_req, _res, _params, userId) => {
    const { songs, albums, artists } = await starred(userId);
    return { starred: { artist: await present.artists(userId, artists), album: await present.albumDirs(userId, albums), song: songs } };
  });
  method('getStarred2', async (_req, _res, _params, userId) => {
    const { songs, albums, artists } = await starred(userId);
    return {
      starred2: {
        artist: await present.artistsId3(userId, await subsonic.withAlbumCounts(artists)),
        album: await present.albums(userId, albums),
        song: songs,
      },
    };
  });

  method('scrobble', async (req, _res, params, userId) => {
    const ids = songIdsOf(req);
    if (ids.length === 0) throw new SubsonicError(10, 'Required parameter is missing: id');
    const { submission, time, c } = methodParams(scrobble, params);
    const at = time === undefined ? undefined : new Date(Math.min(time, Date.now()));
    await subsonic.scrobble(userId, ids, submission === 'true', { at, player: (c ?? 'Subsonic app').slice(0, 100) });
    return {};
  });
}

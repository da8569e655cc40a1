// A listener's own things from a Subsonic app: stars (their favorites), their playlists (the same
// ones and rules as /my/playlists: someone else's is error 50), scrobbles (plays) and their user.
import type { Request } from 'express';
import { z } from 'zod';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import { nameForm } from '../user-playlists/user-playlists.schemas.js';
import { allOf } from './subsonic.auth.js';
import { idOf, type Method, methodParams } from './subsonic.method.js';
import { SubsonicError } from './subsonic.response.js';
import type { SubsonicService } from './subsonic.service.js';
import { toChild } from './subsonic.songs.js';

/** Every song id a star, unstar or scrobble names (`id` may come several times). */
const songIdsOf = (req: Request, name = 'id') => allOf(req, name).map((id) => idOf(id, name, 'Song'));

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

export function listenerMethods(method: Method, subsonic: SubsonicService, playlists: UserPlaylistsService): void {
  method('getUser', async (_req, _res, params, userId) => {
    const user = await subsonic.user(userId, methodParams(z.object({ username: z.string() }), params).username);
    return { user: { username: user.username, email: user.email ?? undefined, adminRole: user.isAdmin, ...ROLES, folder: [1] } };
  });

  method('star', async (req, _res, _params, userId) => {
    await subsonic.star(userId, songIdsOf(req), true);
    return {};
  });
  method('unstar', async (req, _res, _params, userId) => {
    await subsonic.star(userId, songIdsOf(req), false);
    return {};
  });
  const starred = async (userId: number) => ({ song: (await subsonic.starred(userId)).map((song) => ({ ...toChild(song), starred: true })) });
  method('getStarred', async (_req, _res, _params, userId) => ({ starred: await starred(userId) }));
  method('getStarred2', async (_req, _res, _params, userId) => ({ starred2: await starred(userId) }));

  method('scrobble', async (req, _res, params, userId) => {
    const ids = songIdsOf(req);
    if (ids.length === 0) throw new SubsonicError(10, 'Required parameter is missing: id');
    await subsonic.scrobble(userId, ids, params.submission !== 'false');
    return {};
  });

  const playlistOf = async (userId: number, id: number) => {
    const [{ playlist, songs }, owner] = await Promise.all([playlists.view(userId, id), subsonic.username(userId)]);
    return {
      id: String(playlist.id),
      name: playlist.name,
      owner,
      public: playlist.isPublic,
      songCount: songs.length,
      duration: songs.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0),
      entry: songs.map((song) => toChild(song)),
    };
  };
  const playlistIdOf = (value: string | undefined, name: string) => idOf(value, name, 'Playlist');

  method('getPlaylists', async (_req, _res, _params, userId) => {
    const [mine, owner] = await Promise.all([playlists.list(userId), subsonic.username(userId)]);
    return { playlists: { playlist: mine.map((p) => ({ id: String(p.id), name: p.name, owner, public: p.isPublic, songCount: p.songCount })) } };
  });

  method('getPlaylist', async (_req, _res, params, userId) => ({ playlist: await playlistOf(userId, playlistIdOf(params.id, 'id')) }));

  method('createPlaylist', async (req, _res, params, userId) => {
    const songIds = songIdsOf(req, 'songId');
    let id: number;
    if (params.playlistId !== undefined) {
      // With a playlistId: its songs become these, in this order.
      id = playlistIdOf(params.playlistId, 'playlistId');
      for (const song of (await playlists.view(userId, id)).songs) await playlists.removeSong(userId, id, song.id);
    } else {
      id = (await playlists.create(userId, methodParams(nameForm, params).name)).id;
    }
    for (const songId of songIds) await playlists.addSong(userId, id, songId);
    return { playlist: await playlistOf(userId, id) };
  });

  method('updatePlaylist', async (req, _res, params, userId) => {
    const id = playlistIdOf(params.playlistId, 'playlistId');
    const before = (await playlists.view(userId, id)).songs;
    if (params.name !== undefined) await playlists.rename(userId, id, methodParams(nameForm, params).name);
    if (params.public !== undefined) await playlists.setPublic(userId, id, params.public === 'true');
    // Indexes name songs as the playlist was before this call.
    for (const index of allOf(req, 'songIndexToRemove').map(Number)) {
      const song = before[index];
      if (!song) throw new SubsonicError(70, `No song at index ${index}`);
      await playlists.removeSong(userId, id, song.id);
    }
    for (const songId of songIdsOf(req, 'songIdToAdd')) await playlists.addSong(userId, id, songId);
    return {};
  });

  method('deletePlaylist', async (_req, _res, params, userId) => {
    await playlists.remove(userId, playlistIdOf(params.id, 'id'));
    return {};
  });
}

// A listener's playlists from a Subsonic app: the same ones and rules as /my/playlists (someone
// else's is error 50), with when each was made and last changed, its length and its cover.
import { z } from 'zod';
import type { PlaylistSong } from '../user-playlists/user-playlists.repository.js';
import { nameForm } from '../user-playlists/user-playlists.schemas.js';
import { allOf } from './subsonic.auth.js';
import { idOf, type Method, methodParams, type MethodDeps, songIdsOf } from './subsonic.method.js';
import { SubsonicError } from './subsonic.response.js';
import { playlistCoverId } from './subsonic.songs.js';

const playlistIdOf = (value: string | undefined, name: string) => idOf(value, name, 'Playlist');
const duration = (songs: readonly { durationSeconds: number | null }[]) => songs.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);

export function playlistMethods(method: Method, { subsonic, present, playlists }: MethodDeps): void {
  /** The playlist's attributes as the schema names them. */
  const shapeOf = (
    p: { id: number; name: string; isPublic: boolean; createdAt: Date; updatedAt: Date },
    owner: string,
    songs: { count: number; duration: number },
  ) => ({
    id: String(p.id),
    name: p.name,
    owner,
    public: p.isPublic,
    songCount: songs.count,
    duration: songs.duration,
    created: p.createdAt.toISOString(),
    changed: p.updatedAt.toISOString(),
    coverArt: playlistCoverId(p.id),
  });

  const playlistOf = async (userId: number, id: number) => {
    const [{ playlist, songs }, owner] = await Promise.all([playlists.view(userId, id), subsonic.username(userId)]);
    return { ...shapeOf(playlist, owner, { count: songs.length, duration: duration(songs) }), entry: await present.songs(userId, songs) };
  };

  method('getPlaylists', async (_req, _res, _params, userId) => {
    const [mine, owner] = await Promise.all([playlists.list(userId), subsonic.username(userId)]);
    return { playlists: { playlist: mine.map((p) => shapeOf(p, owner, { count: p.songCount, duration: p.durationSeconds })) } };
  });

  method('getPlaylist', async (_req, _res, params, userId) => ({ playlist: await playlistOf(userId, playlistIdOf(params.id, 'id')) }));

  // Every song must exist before anything is written: an unknown one is error 70 and no playlist is made.
  method('createPlaylist', async (req, _res, params, userId) => {
    const songIds = songIdsOf(req, 'songId');
    await subsonic.existingSongs(songIds);
    let id: number;
    let before: PlaylistSong[] = [];
    if (params.playlistId !== undefined) {
      // With a playlistId: its songs become these, in this order.
      id = playlistIdOf(params.playlistId, 'playlistId');
      before = (await playlists.view(userId, id)).songs;
      for (const song of before) await playlists.removeSong(userId, id, song.id);
    } else {
      id = (await playlists.create(userId, methodParams(nameForm, params).name)).id;
    }
    try {
      for (const songId of songIds) await playlists.addSong(userId, id, songId);
    } catch (err) {
      // A song deleted meanwhile, or the playlist full: a new playlist goes again, an old one gets its songs back.
      if (params.playlistId === undefined) await playlists.remove(userId, id);
      else {
        for (const song of (await playlists.view(userId, id)).songs) await playlists.removeSong(userId, id, song.id);
        for (const song of before) await playlists.addSong(userId, id, song.id);
      }
      throw err;
    }
    return { playlist: await playlistOf(userId, id) };
  });

  method('updatePlaylist', async (req, _res, params, userId) => {
    const id = playlistIdOf(params.playlistId, 'playlistId');
    const before = (await playlists.view(userId, id)).songs;
    const indexes = [...new Set(allOf(req, 'songIndexToRemove').map(Number))];
    const missing = indexes.find((index) => !before[index]);
    if (missing !== undefined) throw new SubsonicError(70, `No song at index ${missing}`);
    const adding = songIdsOf(req, 'songIdToAdd');
    await subsonic.existingSongs(adding);
    if (params.name !== undefined) await playlists.rename(userId, id, methodParams(nameForm, params).name);
    if (params.public !== undefined)
      await playlists.setPublic(userId, id, methodParams(z.object({ public: z.enum(['true', 'false']) }), params).public === 'true');
    // Indexes name songs as the playlist was before this call.
    for (const index of indexes) await playlists.removeSong(userId, id, before[index]!.id);
    for (const songId of adding) await playlists.addSong(userId, id, songId);
    return {};
  });

  method('deletePlaylist', async (_req, _res, params, userId) => {
    await playlists.remove(userId, playlistIdOf(params.id, 'id'));
    return {};
  });
}

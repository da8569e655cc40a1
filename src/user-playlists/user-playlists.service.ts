// Listeners' playlists: plain data in and out. Only the owner may see or change a playlist through
// /my/… (an admin is no exception): someone else's is Forbidden, a missing one NotFound. Others
// hear it only through its share token, and only while it is public.
import type { Song } from '../catalog/catalog.types.js';
import { Conflict, Forbidden, NotFound } from '../lib/errors.js';
import { shuffled } from '../random.js';
import type { PlaylistSong, SongWrite, UserPlaylist, UserPlaylistsRepository } from './user-playlists.repository.js';
import type { MoveTarget, PlayOrder } from './user-playlists.schemas.js';

/** The most songs one playlist holds. */
export const MAX_PLAYLIST_SONGS = 500;

export interface UserPlaylistsServiceDeps {
  repository: UserPlaylistsRepository;
  /** Injectable so tests can shuffle with a seeded generator. */
  random?: () => number;
  maxSongs?: number;
}

export function createUserPlaylistsService({ repository, random = Math.random, maxSongs = MAX_PLAYLIST_SONGS }: UserPlaylistsServiceDeps) {
  /** The playlist if this user owns it; NotFound or Forbidden otherwise. */
  async function owned(userId: number, id: number): Promise<UserPlaylist> {
    const playlist = await repository.findById(id);
    if (!playlist) throw new NotFound('There is no such playlist.');
    if (playlist.userId !== userId) throw new Forbidden('This playlist belongs to someone else.');
    return playlist;
  }

  /** Turns a write's outcome into the song it concerned, or the error to show. */
  function songOf(result: SongWrite): { song: Song; changed: boolean } {
    switch (result.outcome) {
      case 'missing_playlist':
        throw new NotFound('There is no such playlist.');
      case 'missing_song':
        throw new NotFound('There is no such song in this playlist.');
      case 'full':
        throw new Conflict(`A playlist holds at most ${maxSongs} songs.`);
      default:
        return { song: result.song, changed: result.outcome !== 'already_there' && result.outcome !== 'unchanged' };
    }
  }

  const order = (songs: PlaylistSong[], how: PlayOrder) => (how === 'shuffled' ? shuffled(songs, random) : songs);

  return {
    list: (userId: number) => repository.listByUser(userId),
    menu: (userId: number) => repository.namesByUser(userId),

    async create(userId: number, name: string): Promise<UserPlaylist> {
      return (await repository.findById(await repository.insert(userId, name)))!;
    },

    async view(userId: number, id: number) {
      const playlist = await owned(userId, id);
      return { playlist, songs: await repository.songs(id) };
    },

    get: owned,

    async rename(userId: number, id: number, name: string): Promise<UserPlaylist> {
      const playlist = await owned(userId, id);
      if (!(await repository.rename(userId, id, name))) throw new NotFound('There is no such playlist.');
      return { ...playlist, name };
    },

    async setPublic(userId: number, id: number, isPublic: boolean): Promise<UserPlaylist> {
      const playlist = await owned(userId, id);
      if (!(await repository.setPublic(userId, id, isPublic))) throw new NotFound('There is no such playlist.');
      return { ...playlist, isPublic };
    },

    async remove(userId: number, id: number): Promise<UserPlaylist> {
      const playlist = await owned(userId, id);
      if (!(await repository.remove(userId, id))) throw new NotFound('There is no such playlist.');
      return playlist;
    },

    /** The song a new playlist is made for; NotFound when there is none. */
    async song(songId: number) {
      const song = await repository.song(songId);
      if (!song) throw new NotFound('There is no such song.');
      return song;
    },

    /** Adds the song at the end; `changed` is false when it was already there (nothing moves). */
    async addSong(userId: number, id: number, songId: number) {
      const playlist = await owned(userId, id);
      const result = await repository.addSong(userId, id, songId);
      if (result.outcome === 'missing_song') throw new NotFound('There is no such song.');
      return { playlist, ...songOf(result) };
    },

    async removeSong(userId: number, id: number, songId: number) {
      const playlist = await owned(userId, id);
      return { playlist, ...songOf(await repository.removeSong(userId, id, songId)) };
    },

    /** Up, down (by one place) or to a 1-based position; the other songs keep their order. */
    async moveSong(userId: number, id: number, songId: number, target: MoveTarget) {
      const playlist = await owned(userId, id);
      const to = (from: number) => (target === 'up' ? from - 1 : target === 'down' ? from + 1 : target);
      return { playlist, ...songOf(await repository.moveSong(userId, id, songId, to)) };
    },

    /** The owner's playlist, in order or shuffled. */
    async play(userId: number, id: number, how: PlayOrder) {
      const playlist = await owned(userId, id);
      return { playlist, songs: order(await repository.songs(id), how) };
    },

    /** A shared playlist: only while it is public, else NotFound (as if there were none). */
    async playShared(token: string, how: PlayOrder) {
      const playlist = await repository.findPublicByToken(token);
      if (!playlist) throw new NotFound('There is no such playlist, or its owner has made it private.');
      return { playlist, songs: order(await repository.songs(playlist.id), how) };
    },
  };
}

export type UserPlaylistsService = ReturnType<typeof createUserPlaylistsService>;

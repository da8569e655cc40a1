// What a listener keeps through their apps: stars and ratings of songs, albums and artists, bookmarks,
// the play queue one device saves and another takes up, and what they are playing now (their last
// start, on any device or the website, less than that song's length ago). Only their own: what
// other listeners play is theirs.
import type { Song } from '../catalog/catalog.types.js';
import type { HistoryService } from '../history/history.service.js';
import type { NowPlayingRow, SubsonicListenerRepository } from './subsonic-listener.repository.js';
import type { SubsonicRepository } from './subsonic.repository.js';
import { SubsonicError } from './subsonic.response.js';
import type { SubsonicService } from './subsonic.service.js';
import { albumOf, artistId, artistOf } from './subsonic.songs.js';

/** The most songs a saved play queue holds. */
export const PLAY_QUEUE_MAX = 1000;
/** A song of unknown length counts as playing this long after it started. */
const UNKNOWN_LENGTH_SECONDS = 5 * 60;
/** The longest song getNowPlaying looks back for. */
const LOOK_BACK_SECONDS = 2 * 60 * 60;
/** How many of the listener's latest plays getNowPlaying looks at. */
const LATEST_PLAYS = 5;

/** What an id names: a song, an album or an artist. */
export type Item = { kind: 'song'; id: number } | { kind: 'album'; artist: string; album: string | null } | { kind: 'artist'; artist: string };

/** An id as apps send it to star, unstar and setRating: a song's number, or an album's or artist's id. */
export function itemOf(id: string): Item {
  if (/^[1-9]\d{0,9}$/.test(id)) return { kind: 'song', id: Number(id) };
  const album = albumOf(id);
  if (album) return { kind: 'album', ...album };
  const artist = artistOf(id);
  if (artist) return { kind: 'artist', artist };
  throw new SubsonicError(70, `Nothing has the id “${id.slice(0, 64)}”.`);
}

export function createSubsonicListenerService({
  listener,
  subsonic,
  service,
  history,
}: {
  listener: SubsonicListenerRepository;
  subsonic: SubsonicRepository;
  service: SubsonicService;
  history: Pick<HistoryService, 'playedSince'>;
}) {
  /** The listener's latest start since `since`: an app's report or their last play, whichever is later. */
  async function startedSince(userId: number, since: Date): Promise<NowPlayingRow[]> {
    const [reported, played, username] = await Promise.all([
      listener.reportedSince(userId, since),
      history.playedSince(userId, since, LATEST_PLAYS),
      service.username(userId),
    ]);
    const latest = new Map<number, NowPlayingRow>();
    for (const row of [...played.map((p) => ({ userId, username, songId: p.songId, player: 'Stereodose', startedAt: p.playedAt })), ...reported]) {
      const before = latest.get(row.userId);
      if (!before || row.startedAt >= before.startedAt) latest.set(row.userId, row);
    }
    return [...latest.values()];
  }

  /** The item must exist: an unknown song, album or artist is error 70. */
  async function existing(item: Item): Promise<Item> {
    if (item.kind === 'song') await service.existingSongs([item.id]);
    else if (item.kind === 'artist') await service.artist(artistId(item.artist));
    else if ((await subsonic.albumSongs(item.artist, item.album)).length === 0) throw new SubsonicError(70, 'Album not found');
    return item;
  }

  return {
    /** Stars or unstars each item; songs' stars are the listener's favorites. */
    async star(userId: number, items: readonly Item[], starred: boolean) {
      for (const item of items) await existing(item);
      for (const item of items) {
        if (item.kind === 'song') await service.star(userId, [item.id], starred);
        else if (item.kind === 'album') await listener.starAlbum(userId, item, starred);
        else await listener.starArtist(userId, item.artist, starred);
      }
    },

    /** 1–5, or 0 to remove the rating. */
    async rate(userId: number, item: Item, rating: number) {
      await existing(item);
      if (item.kind === 'song') await listener.rateSong(userId, item.id, rating);
      else if (item.kind === 'album') await listener.rateAlbum(userId, item, rating);
      else await listener.rateArtist(userId, item.artist, rating);
    },

    starredArtists: (userId: number) => listener.starredArtists(userId, 500),
    starredAlbums: async (userId: number) => subsonic.albumsByKeys(await listener.markedAlbums(userId, 'starred', 500, 0)),

    /** The listener's bookmarks with their songs (those still in the catalog). */
    async bookmarks(userId: number) {
      const marks = await listener.bookmarks(userId);
      const songs = new Map((await subsonic.songsByIds(marks.map((b) => b.songId))).map((s) => [s.id, s]));
      return marks.flatMap((b) => (songs.has(b.songId) ? [{ ...b, song: songs.get(b.songId)! }] : []));
    },

    async saveBookmark(userId: number, songId: number, positionMs: number, comment?: string) {
      await service.existingSongs([songId]);
      await listener.saveBookmark(userId, songId, positionMs, comment);
    },

    async deleteBookmark(userId: number, songId: number) {
      if (!(await listener.deleteBookmark(userId, songId))) throw new SubsonicError(70, 'There is no bookmark of that song.');
    },

    /** The queue last saved from any of the listener's devices, with its songs. */
    async playQueue(userId: number) {
      const queue = await listener.playQueue(userId);
      if (!queue) return undefined;
      return { ...queue, songs: await subsonic.songsByIds(queue.songIds) };
    },

    /** Saves the queue as this app has it; every song must exist, the current one be among them. */
    async savePlayQueue(userId: number, songIds: readonly number[], current: number | undefined, positionMs: number, changedBy: string) {
      if (songIds.length > PLAY_QUEUE_MAX) throw new SubsonicError(0, `A play queue holds at most ${PLAY_QUEUE_MAX} songs (got ${songIds.length}).`);
      await service.existingSongs(songIds);
      if (current !== undefined && !songIds.includes(current)) throw new SubsonicError(70, 'The current song is not in the queue.');
      await listener.savePlayQueue(userId, { songIds: [...songIds], current: current ?? songIds[0], positionMs, changedBy });
    },

    /** An app started this song (a stream): it is what the listener is playing now. */
    playing: (userId: number, songId: number, player: string) => listener.nowPlaying(userId, songId, player),

    /** The listener's last start if it is less than that song's length ago. */
    async nowPlaying(userId: number, now = new Date()): Promise<{ song: Song; username: string; player: string; minutesAgo: number; playerId: number }[]> {
      const rows = await startedSince(userId, new Date(now.getTime() - LOOK_BACK_SECONDS * 1000));
      const songs = new Map((await subsonic.songsByIds(rows.map((r) => r.songId))).map((s) => [s.id, s]));
      return rows
        .filter((r) => {
          const song = songs.get(r.songId);
          return song && now.getTime() - r.startedAt.getTime() < (song.durationSeconds ?? UNKNOWN_LENGTH_SECONDS) * 1000;
        })
        .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
        .map((r) => ({
          song: songs.get(r.songId)!,
          username: r.username,
          player: r.player,
          minutesAgo: Math.max(0, Math.floor((now.getTime() - r.startedAt.getTime()) / 60_000)),
          playerId: r.userId,
        }));
    },
  };
}

export type SubsonicListenerService = ReturnType<typeof createSubsonicListenerService>;

// Listening across devices: bookmarks (where in a song the listener stopped), the play queue one app
// saves and another takes up (getPlayQueue answers the last one saved, from any device), and what
// the listener is playing now.
import { z } from 'zod';
import { idOf, type Method, methodParams, wholeNumber, type MethodDeps, songIdsOf } from './subsonic.method.js';

const milliseconds = z.preprocess((v) => (v === undefined ? v : Number(v)), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const bookmark = z.object({ position: milliseconds, comment: z.string().max(500).optional() });
const queue = z.object({ position: wholeNumber(0, Number.MAX_SAFE_INTEGER, 0), current: z.string().optional(), c: z.string().optional() });

export function queueMethods(method: Method, { subsonic, listener, present }: MethodDeps): void {
  method('getBookmarks', async (_req, _res, _params, userId) => {
    const [marks, username] = await Promise.all([listener.bookmarks(userId), subsonic.username(userId)]);
    const entries = await present.songs(
      userId,
      marks.map((b) => b.song),
    );
    return {
      bookmarks: {
        bookmark: marks.map((b, i) => ({
          entry: entries[i],
          position: b.positionMs,
          username,
          comment: b.comment,
          created: b.created.toISOString(),
          changed: b.changed.toISOString(),
        })),
      },
    };
  });

  method('createBookmark', async (_req, _res, params, userId) => {
    const songId = idOf(params.id, 'id', 'Song');
    const { position: ms, comment } = methodParams(bookmark, params);
    await listener.saveBookmark(userId, songId, ms, comment);
    return {};
  });

  method('deleteBookmark', async (_req, _res, params, userId) => {
    await listener.deleteBookmark(userId, idOf(params.id, 'id', 'Song'));
    return {};
  });

  method('getPlayQueue', async (_req, _res, _params, userId) => {
    const [saved, username] = await Promise.all([listener.playQueue(userId), subsonic.username(userId)]);
    // None saved yet: an empty queue, changed never (the epoch), so no app prefers it to its own.
    if (!saved) return { playQueue: { username, changed: new Date(0).toISOString(), changedBy: '' } };
    return {
      playQueue: {
        entry: await present.songs(userId, saved.songs),
        current: saved.current === undefined ? undefined : String(saved.current),
        position: saved.positionMs,
        username,
        changed: saved.changed.toISOString(),
        changedBy: saved.changedBy,
      },
    };
  });

  // No id at all clears the queue.
  method('savePlayQueue', async (req, _res, params, userId) => {
    const ids = songIdsOf(req);
    const { position: ms, current, c } = methodParams(queue, params);
    const currentId = current === undefined || current === '' ? undefined : idOf(current, 'current', 'Song');
    await listener.savePlayQueue(userId, ids, currentId, ms, (c ?? 'Subsonic app').slice(0, 100));
    return {};
  });

  method('getNowPlaying', async (_req, _res, _params, userId) => {
    const playing = await listener.nowPlaying(userId);
    const entries = await present.songs(
      userId,
      playing.map((p) => p.song),
    );
    return {
      nowPlaying: {
        entry: playing.map((p, i) => ({ ...entries[i], username: p.username, minutesAgo: p.minutesAgo, playerId: p.playerId, playerName: p.player })),
      },
    };
  });
}

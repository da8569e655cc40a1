// What a listener keeps through their apps: stars and ratings of songs, albums and artists, bookmarks,
// the play queue across devices, what they play now, and scrobbles at the time they say.
import { describe, expect, it } from 'vitest';
import { readTimestamp } from '../../src/db/timestamps.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { makeAppPassword, subsonicListener } from '../helpers/subsonic.js';
import { useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();

async function withSongs(count = 6) {
  const genre = await makeGenre(t.db);
  const ids = await makeSongs(t.db, genre.genreId, count);
  await t.db('songs').whereIn('id', ids.slice(0, 3)).update({ album: 'Green Room' });
  return ids;
}

const albumOfArtist0 = async (app: Awaited<ReturnType<typeof subsonicListener>>, name: string) => {
  const artists = (await app.call('getArtists')).body.artists.index.flatMap((i: { artist: { id: string; name: string }[] }) => i.artist);
  const artist = artists.find((a: { name: string }) => a.name === 'Artist 0');
  const album = (await app.call('getArtist', { id: artist.id })).body.artist.album.find((a: { name: string }) => a.name === name);
  return { artist, album };
};

describe('a listener’s own marks', () => {
  it('when an app stars an album and an artist, then they are stored and listed with the date, and unstarring removes them', async () => {
    await withSongs();
    const app = await subsonicListener(t.db);
    const { artist, album } = await albumOfArtist0(app, 'Green Room');
    const before = Date.now() - 1000;
    expect((await app.both('star', { albumId: album.id, artistId: artist.id })).status).toBe('ok');
    const starred = (await app.both('getStarred2')).starred2;
    expect(starred.album.map((a: { id: string }) => a.id)).toEqual([album.id]);
    expect(starred.artist.map((a: { id: string }) => a.id)).toEqual([artist.id]);
    expect(Date.parse(starred.album[0].starred)).toBeGreaterThan(before);
    expect((await app.call('getAlbum', { id: album.id })).body.album.starred).toBe(starred.album[0].starred);
    expect((await app.call('getStarred')).body.starred.album[0]).toMatchObject({ id: album.id, isDir: true, title: 'Green Room' });
    expect((await app.call('getAlbumList2', { type: 'starred' })).body.albumList2.album.map((a: { id: string }) => a.id)).toEqual([album.id]);

    await app.both('unstar', { albumId: album.id, artistId: artist.id });
    expect((await app.call('getStarred2')).body.starred2).toEqual({ artist: [], album: [], song: [] });
    expect(await t.db('album_marks').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });

  it('when a song is starred, then every answer naming it carries the date it was starred, for that listener only', async () => {
    const ids = await withSongs();
    const app = await subsonicListener(t.db);
    const other = await subsonicListener(t.db, { app: app.app });
    await app.call('star', { id: ids[0] });
    const { created_at } = await t.db('favorites').where('song_id', ids[0]!).first('created_at');
    const starred = (await app.call('getSong', { id: ids[0] })).body.song.starred;
    expect(Date.parse(starred)).toBeGreaterThan(0);
    expect(Math.abs(Date.parse(starred) - readTimestamp(created_at).getTime())).toBeLessThan(2000);
    const { album } = await albumOfArtist0(app, 'Green Room');
    const inAlbum = (await app.call('getAlbum', { id: album.id })).body.album.song.find((s: { id: string }) => s.id === String(ids[0]));
    expect(inAlbum.starred).toBe(starred);
    const searched = (await app.call('search3', { query: '', songCount: 50 })).body.searchResult3.song.find((s: { id: string }) => s.id === String(ids[0]));
    expect(searched.starred).toBe(starred);
    expect((await app.call('getStarred2')).body.starred2.song[0].starred).toBe(starred);
    expect((await other.call('getSong', { id: ids[0] })).body.song.starred).toBeUndefined();
  });

  it('when a listener rates songs, albums and artists, then each listener sees their own rating; 0 removes it', async () => {
    const ids = await withSongs();
    const app = await subsonicListener(t.db);
    const other = await subsonicListener(t.db, { app: app.app });
    const { artist, album } = await albumOfArtist0(app, 'Green Room');
    await app.both('setRating', { id: ids[0], rating: 5 });
    await app.both('setRating', { id: album.id, rating: 4 });
    await app.both('setRating', { id: artist.id, rating: 2 });
    await other.call('setRating', { id: ids[0], rating: 1 });
    expect((await app.call('getSong', { id: ids[0] })).body.song.userRating).toBe(5);
    expect((await other.call('getSong', { id: ids[0] })).body.song.userRating).toBe(1);
    expect((await app.call('getAlbumList', { type: 'highest' })).body.albumList.album[0]).toMatchObject({ id: album.id, userRating: 4 });
    expect((await app.call('getIndexes')).body.indexes.index.flatMap((i: { artist: object[] }) => i.artist)).toContainEqual(
      expect.objectContaining({ id: artist.id, userRating: 2 }),
    );
    await app.call('setRating', { id: ids[0], rating: 0 });
    expect((await app.call('getSong', { id: ids[0] })).body.song.userRating).toBeUndefined();
    expect(await t.db('song_ratings').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('when a listener bookmarks a song, then the bookmark is theirs, moves with a new position, and goes when deleted', async () => {
    const ids = await withSongs();
    const app = await subsonicListener(t.db);
    const other = await subsonicListener(t.db, { app: app.app });
    await app.call('createBookmark', { id: ids[1], position: 61_000, comment: 'after the drop' });
    await app.call('createBookmark', { id: ids[1], position: 90_500 });
    const [bookmark] = (await app.both('getBookmarks')).bookmarks.bookmark;
    expect(bookmark).toMatchObject({ position: 90_500, username: app.username, entry: { id: String(ids[1]), bookmarkPosition: 90_500 } });
    expect((await other.call('getBookmarks')).body.bookmarks.bookmark).toEqual([]);
    expect((await other.call('deleteBookmark', { id: ids[1] })).body.error.code).toBe(70);
    await app.call('deleteBookmark', { id: ids[1] });
    expect((await app.call('getBookmarks')).body.bookmarks.bookmark).toEqual([]);
  });
});

describe('listening across devices', () => {
  it('when the phone saves its queue, then the desktop gets it (songs, current, position, by whom); an empty save clears it', async () => {
    const ids = await withSongs();
    const phone = await subsonicListener(t.db);
    expect((await phone.both('getPlayQueue')).playQueue).toEqual({ username: phone.username, changed: '1970-01-01T00:00:00.000Z', changedBy: '' });
    await phone.call('savePlayQueue', { id: [ids[2]!, ids[0]!, ids[1]!], current: ids[0], position: 42_000, c: 'DSub' });
    // The desktop: the same listener, another app password.
    const desktopPassword = await makeAppPassword(phone.agent, 'Desktop — Feishin');
    const queue = (await phone.both('getPlayQueue', {}, { auth: { p: desktopPassword } })).playQueue;
    expect(queue).toMatchObject({ current: String(ids[0]), position: 42_000, username: phone.username, changedBy: 'DSub' });
    expect(queue.entry.map((s: { id: string }) => Number(s.id))).toEqual([ids[2], ids[0], ids[1]]);
    expect(Date.parse(queue.changed)).toBeGreaterThan(Date.now() - 60_000);

    expect((await phone.call('savePlayQueue', { id: [ids[0]!, 999_999] })).body.error.code).toBe(70);
    expect((await phone.call('getPlayQueue')).body.playQueue.entry).toHaveLength(3); // unchanged
    await phone.call('savePlayQueue', {});
    expect((await phone.call('getPlayQueue')).body.playQueue.entry).toBeUndefined();
  });

  it('when an app says a song started, then it is now playing until the song’s length has passed; others never see it', async () => {
    const ids = await withSongs();
    const app = await subsonicListener(t.db);
    const other = await subsonicListener(t.db, { app: app.app });
    await app.call('scrobble', { id: ids[0], submission: false, c: 'Symfonium' });
    const [entry] = (await app.both('getNowPlaying')).nowPlaying.entry;
    expect(entry).toMatchObject({ id: String(ids[0]), username: app.username, minutesAgo: 0, playerName: 'Symfonium' });
    expect((await other.call('getNowPlaying')).body.nowPlaying.entry).toEqual([]);
    // The songs are a minute long: two minutes after it started, it is no longer playing.
    await t.db('now_playing').update({ started_at: new Date(Date.now() - 120_000) });
    expect((await app.call('getNowPlaying')).body.nowPlaying.entry).toEqual([]);
  });

  it('when an app scrobbles with a time, then the play is counted on that day and in the history at that moment', async () => {
    const ids = await withSongs();
    const app = await subsonicListener(t.db);
    const heard = Date.UTC(2026, 0, 15, 20, 30);
    await app.call('scrobble', { id: ids[0], time: heard });
    expect(await t.db('song_daily_plays').where('song_id', ids[0]!).first('day', 'plays')).toMatchObject({ plays: 1 });
    const day = (await t.db('song_daily_plays').where('song_id', ids[0]!).first('day')).day;
    expect(String(day instanceof Date ? day.toISOString() : day).slice(0, 10)).toBe('2026-01-15');
    const played = (await t.db('listening_history').where('song_id', ids[0]!).first('played_at')).played_at;
    expect(readTimestamp(played).getTime()).toBe(heard);
  });
});

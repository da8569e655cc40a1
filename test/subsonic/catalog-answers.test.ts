// The catalog as apps expect it: album lists of every type, music directories, counts, dates and
// durations that are real, a cover on everything, artwork as PNG at the size asked, random songs
// that never repeat, top and similar songs.
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/transaction.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom } from '../helpers/factories.js';
import { subsonicListener } from '../helpers/subsonic.js';
import { checkedFetch, useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();

type Album = { id: string; name: string; artist: string; songCount: number; coverArt: string; created: string; year?: number };

describe('albums and artists as apps list them', () => {
  it('when an app opens on album lists, then each type lists the albums it names, by the order it names', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 6, (i) => (i < 3 ? 'Zed' : 'Abba'));
    await t.db('songs').whereIn('id', ids.slice(0, 2)).update({ album: 'Omega', year: 1990 });
    await t.db('songs').where('id', ids[3]!).update({ album: 'Alpha', year: 2020, created_at: '2099-01-01 00:00:00' });
    const app = await subsonicListener(t.db, { random: seededRandom(3) });
    const list = async (type: string, extra = {}) =>
      ((await app.call('getAlbumList2', { type, size: 20, ...extra })).body.albumList2.album as Album[]).map((a) => `${a.artist}/${a.name}`);

    expect(await list('alphabeticalByName')).toEqual(['Abba/Singles', 'Zed/Singles', 'Abba/Alpha', 'Zed/Omega']);
    expect(await list('alphabeticalByArtist')).toEqual(['Abba/Singles', 'Abba/Alpha', 'Zed/Singles', 'Zed/Omega']);
    expect((await list('newest'))[0]).toBe('Abba/Alpha');
    expect(await list('byYear', { fromYear: 1980, toYear: 2030 })).toEqual(['Zed/Omega', 'Abba/Alpha']);
    expect(await list('byYear', { fromYear: 2030, toYear: 1980 })).toEqual(['Abba/Alpha', 'Zed/Omega']);
    expect((await list('random')).sort()).toEqual(['Abba/Alpha', 'Abba/Singles', 'Zed/Omega', 'Zed/Singles']);
    expect(await list('alphabeticalByName', { size: 2, offset: 2 })).toEqual(['Abba/Alpha', 'Zed/Omega']);
    expect(await list('byGenre', { genre: `Drug ${genre.drugSlug} · Mood ${genre.moodSlug}` })).toHaveLength(4);

    await app.call('scrobble', { id: ids[0] });
    await app.call('scrobble', { id: ids[1] });
    await app.call('scrobble', { id: ids[4] });
    expect(await list('frequent')).toEqual(['Zed/Omega', 'Abba/Singles']);
    expect(await list('recent')).toEqual(['Abba/Singles', 'Zed/Omega']);

    const omega = ((await app.call('getAlbumList2', { type: 'alphabeticalByArtist' })).body.albumList2.album as Album[]).find((a) => a.name === 'Omega')!;
    expect(omega).toMatchObject({ songCount: 2, year: 1990, artist: 'Zed', coverArt: omega.id });
    expect(Date.parse(omega.created)).toBeGreaterThan(0);
  });

  it('when an app browses by folders, then artists hold their albums and albums their songs, with the same ids as by tags', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 4, () => 'Solo');
    await t.db('songs').whereIn('id', ids.slice(0, 2)).update({ album: 'Debut' });
    const app = await subsonicListener(t.db);
    const index = (await app.both('getIndexes')).indexes.index.flatMap((i: { artist: { id: string; name: string }[] }) => i.artist);
    const solo = index.find((a: { name: string }) => a.name === 'Solo');
    expect(solo).not.toHaveProperty('albumCount'); // an index's Artist has none
    const artistDir = (await app.both('getMusicDirectory', { id: solo.id })).directory;
    expect(artistDir.child.map((c: { title: string; isDir: boolean }) => [c.title, c.isDir])).toEqual([
      ['Singles', true],
      ['Debut', true],
    ]);
    const debut = artistDir.child.find((c: { title: string }) => c.title === 'Debut');
    const albumDir = (await app.both('getMusicDirectory', { id: debut.id })).directory;
    expect(albumDir).toMatchObject({ id: debut.id, parent: solo.id, name: 'Debut' });
    expect(albumDir.child.map((c: { id: string; parent: string }) => [Number(c.id), c.parent])).toEqual(ids.slice(0, 2).map((id) => [id, debut.id]));
    const byTags = (await app.call('getArtists')).body.artists.index.flatMap((i: { artist: { id: string; albumCount: number }[] }) => i.artist);
    expect(byTags.find((a: { id: string }) => a.id === solo.id).albumCount).toBe(2);
    expect((await app.call('getAlbum', { id: debut.id })).body.album).toMatchObject({ id: debut.id, songCount: 2, artistId: solo.id });
  });

  it('when an app searches with search2 and search3, then artists carry their album counts and albums their dates', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 3, () => 'Searchable');
    await t.db('songs').where('id', ids[0]!).update({ album: 'Seen' });
    const app = await subsonicListener(t.db);
    const three = (await app.both('search3', { query: 'Se' })).searchResult3;
    expect(three.artist).toEqual([expect.objectContaining({ name: 'Searchable', albumCount: 2, coverArt: expect.stringMatching(/^ar-/) })]);
    expect(three.album).toEqual([expect.objectContaining({ name: 'Seen', songCount: 1, created: expect.any(String) })]);
    const two = (await app.both('search2', { query: 'Se' })).searchResult2;
    expect(two.artist[0]).toMatchObject({ name: 'Searchable' });
    expect(two.album[0]).toMatchObject({ title: 'Seen', isDir: true });
    expect(two.song).toHaveLength(3);
  });
});

describe('songs as apps show them', () => {
  it('when an app lists songs anywhere, then each has a cover, an album, and its file type; playlists have real dates and length', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 3);
    await t.db('songs').where('id', ids[0]!).update({ duration_seconds: 200, size_bytes: 3_200_000, bit_rate: 128 });
    const app = await subsonicListener(t.db);
    const song = (await app.call('getSong', { id: ids[0] })).body.song;
    expect(song).toMatchObject({
      coverArt: `drug-${genre.drugSlug}`,
      album: 'Singles',
      size: 3_200_000,
      bitRate: 128,
      suffix: 'mp3',
      contentType: 'audio/mpeg',
    });
    expect(song.albumId).toMatch(/^al-/);
    const made = (await app.call('createPlaylist', { name: 'Evening', songId: ids })).body.playlist;
    expect(made).toMatchObject({ songCount: 3, duration: 320, coverArt: `pl-${made.id}` });
    const [listed] = (await app.both('getPlaylists')).playlists.playlist;
    expect(listed).toMatchObject({ songCount: 3, duration: 320, created: made.created });
    expect(Date.parse(listed.changed)).toBeGreaterThanOrEqual(Date.parse(listed.created));
    for (const entry of made.entry) expect(entry.coverArt).toBe(`drug-${genre.drugSlug}`);
  });

  it('when an app asks for random songs from every mood, then no song repeats, whatever moods share them', async () => {
    const first = await makeGenre(t.db);
    const second = await makeGenre(t.db);
    const shared = await makeSongs(t.db, first.genreId, 30);
    await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { add: shared.map((id) => [second.genreId, id] as const) }));
    const own = await makeSongs(t.db, second.genreId, 10);
    const app = await subsonicListener(t.db, { random: seededRandom(11) });
    for (const size of [10, 35, 40, 100]) {
      const songs = (await app.call('getRandomSongs', { size })).body.randomSongs.song as { id: string }[];
      expect(new Set(songs.map((s) => s.id)).size, `size ${size}`).toBe(songs.length);
      expect(songs.length).toBe(Math.min(size, shared.length + own.length));
    }
  });

  it('when an app asks for an artist’s top songs or songs like one, then top songs are their most favorited and similar ones share its moods', async () => {
    const mood = await makeGenre(t.db);
    const elsewhere = await makeGenre(t.db);
    const ids = await makeSongs(t.db, mood.genreId, 8);
    const far = await makeSongs(t.db, elsewhere.genreId, 5);
    await t.db('songs').where('id', ids[7]!).update({ favorite_count: 9 });
    const app = await subsonicListener(t.db, { random: seededRandom(5) });
    const artist = (await t.db('songs').where('id', ids[7]!).first('artist')).artist;
    const top = (await app.both('getTopSongs', { artist, count: 5 })).topSongs.song;
    expect(Number(top[0].id)).toBe(ids[7]);
    expect(top.every((s: { artist: string }) => s.artist === artist)).toBe(true);
    const similar = (await app.both('getSimilarSongs', { id: ids[0], count: 50 })).similarSongs.song.map((s: { id: string }) => Number(s.id));
    expect(similar).not.toContain(ids[0]);
    expect(similar.length).toBe(7);
    for (const id of similar) expect(far).not.toContain(id);
    const info = (await app.both('getArtistInfo2', { id: top[0].artistId })).artistInfo2;
    expect(info.biography).toContain(`Mood ${mood.moodSlug}`);
  });
});

describe('cover art apps can decode', () => {
  it('when an app asks for a cover at a size, then it gets a PNG of that size, cacheable, and a 304 when it has it', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 2);
    await t.db('songs').whereIn('id', ids).update({ album: 'Covered' });
    const app = await subsonicListener(t.db);
    const album = (await app.call('getAlbumList2', { type: 'newest' })).body.albumList2.album[0] as Album;
    for (const [id, size] of [
      [`drug-${genre.drugSlug}`, 300],
      [album.id, 64],
      [ids[0]!, undefined],
    ] as const) {
      const res = await app.call('getCoverArt', { id, size });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const png = Buffer.from(res.text, 'latin1');
      expect(res.headers.get('etag')).toBeTruthy();
      const fetched = Buffer.from(
        await (await checkedFetch(`${app.url}/rest/getCoverArt?u=${app.username}&p=${app.appPassword}&id=${id}${size ? `&size=${size}` : ''}`)).arrayBuffer(),
      );
      expect(fetched.subarray(1, 4).toString()).toBe('PNG');
      expect(fetched.readUInt32BE(16)).toBe(size ?? 512); // the IHDR width
      expect(png.length).toBeGreaterThan(0);
    }
    const first = await checkedFetch(`${app.url}/rest/getCoverArt?u=${app.username}&p=${app.appPassword}&id=${album.id}&size=64`);
    const again = await checkedFetch(`${app.url}/rest/getCoverArt?u=${app.username}&p=${app.appPassword}&id=${album.id}&size=64`, {
      headers: { 'If-None-Match': first.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });
});

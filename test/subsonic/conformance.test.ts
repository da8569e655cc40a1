// Every method apps call, in XML and in JSON, by GET and by a POSTed form: each answer is checked
// against the Subsonic 1.16.1 XSD (with OpenSubsonic's additions) and the OpenSubsonic schemas.
import { describe, expect, it } from 'vitest';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom } from '../helpers/factories.js';
import { type Params, subsonicListener } from '../helpers/subsonic.js';
import { useSubsonicSchemas } from '../helpers/subsonic-schema.js';

const t = useTestDb();
useSubsonicSchemas();

/** A small catalog: two moods sharing songs, albums and singles, a year, a song hosted here. */
async function catalog() {
  const first = await makeGenre(t.db);
  const second = await makeGenre(t.db);
  const ids = await makeSongs(t.db, first.genreId, 10);
  const more = await makeSongs(t.db, second.genreId, 4);
  await t.db('songs').whereIn('id', ids.slice(0, 4)).update({ album: 'Green Room', year: 2001 });
  await t.db('songs').whereIn('id', ids.slice(4, 6)).update({ album: 'Blue Hour', year: 1999 });
  await t.db('songs').where('id', ids[9]!).update({ url: '/media/demo/weed-groovin-07.wav' });
  const { applyMembershipChanges } = await import('../../src/playlists/membership.js');
  const { writeTransaction } = await import('../../src/db/transaction.js');
  await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { add: ids.slice(0, 3).map((id) => [second.genreId, id] as const) }));
  const genreName = `Drug ${first.drugSlug} · Mood ${first.moodSlug}`;
  return { ids, more, genreName };
}

describe('the Subsonic API by the book', () => {
  it('when an app calls every method it uses, in XML and JSON, then every answer is ok and matches the schemas', async () => {
    const { ids, genreName } = await catalog();
    const app = await subsonicListener(t.db, { random: seededRandom(7) });
    const artists = (await app.call('getArtists')).body.artists.index.flatMap((i: { artist: { id: string; name: string }[] }) => i.artist);
    const artist = artists.find((a: { name: string }) => a.name === 'Artist 0')!;
    const albums = (await app.call('getArtist', { id: artist.id })).body.artist.album as { id: string; name: string }[];
    const album = albums.find((a) => a.name === 'Green Room')!;
    const playlist = (await app.call('createPlaylist', { name: 'Road trip', songId: [ids[0]!, ids[1]!] })).body.playlist;

    /** What each consuming call needs before it, so that the XML and the JSON call find the same. */
    const before: Record<string, () => Promise<unknown>> = {
      deleteBookmark: () => app.call('createBookmark', { id: ids[3], position: 1 }),
    };
    const calls: [string, Params?][] = [
      ['ping'],
      ['getLicense'],
      ['getOpenSubsonicExtensions'],
      ['getMusicFolders'],
      ['getScanStatus'],
      ['startScan'],
      ['getGenres'],
      ['getIndexes'],
      ['getArtists'],
      ['getArtist', { id: artist.id }],
      ['getAlbum', { id: album.id }],
      ['getMusicDirectory', { id: artist.id }],
      ['getMusicDirectory', { id: album.id }],
      ['getSong', { id: ids[0] }],
      ['getRandomSongs', { size: 5 }],
      ['getRandomSongs', { size: 3, genre: genreName }],
      ['getSongsByGenre', { genre: genreName, count: 3 }],
      ...['random', 'newest', 'highest', 'frequent', 'recent', 'alphabeticalByName', 'alphabeticalByArtist', 'starred'].flatMap((type): [string, Params][] => [
        ['getAlbumList', { type, size: 5 }],
        ['getAlbumList2', { type, size: 5 }],
      ]),
      ['getAlbumList', { type: 'byYear', fromYear: 1990, toYear: 2010 }],
      ['getAlbumList2', { type: 'byYear', fromYear: 2010, toYear: 1990 }],
      ['getAlbumList', { type: 'byGenre', genre: genreName }],
      ['getAlbumList2', { type: 'byGenre', genre: genreName }],
      ['search2', { query: 'Artist' }],
      ['search3', { query: 'Green' }],
      ['search3', { query: '' }],
      ['getTopSongs', { artist: 'Artist 0', count: 3 }],
      ['getSimilarSongs', { id: ids[0], count: 5 }],
      ['getSimilarSongs', { id: album.id }],
      ['getSimilarSongs2', { id: artist.id, count: 5 }],
      ['getArtistInfo', { id: artist.id }],
      ['getArtistInfo2', { id: artist.id }],
      ['getAlbumInfo', { id: album.id }],
      ['getAlbumInfo2', { id: album.id }],
      ['getLyrics', { artist: 'Artist 0', title: 'Anything' }],
      ['getLyricsBySongId', { id: ids[0] }],
      ['star', { id: ids[0], albumId: album.id, artistId: artist.id }],
      ['setRating', { id: ids[1], rating: 4 }],
      ['setRating', { id: album.id, rating: 5 }],
      ['setRating', { id: artist.id, rating: 3 }],
      ['getStarred'],
      ['getStarred2'],
      ['unstar', { id: ids[0] }],
      ['scrobble', { id: ids[2], submission: false }],
      ['scrobble', { id: ids[2], time: Date.now() - 60_000 }],
      ['getNowPlaying'],
      ['createBookmark', { id: ids[3], position: 12_345, comment: 'the bridge' }],
      ['getBookmarks'],
      ['deleteBookmark', { id: ids[3] }],
      ['savePlayQueue', { id: [ids[0]!, ids[1]!, ids[2]!], current: ids[1], position: 5000 }],
      ['getPlayQueue'],
      ['getPlaylists'],
      ['getPlaylist', { id: playlist.id }],
      ['updatePlaylist', { playlistId: playlist.id, name: 'Long road', songIdToAdd: ids[4] }],
      ['getUser', { username: app.username }],
      ['getInternetRadioStations'],
      ['getPodcasts'],
      ['getNewestPodcasts'],
      ['getShares'],
      ['getVideos'],
    ];
    for (const [method, params] of calls) {
      const answer = await app.both(method, params, { before: before[method] });
      expect(answer.status, `${method} ${JSON.stringify(params ?? {})}: ${JSON.stringify(answer.error)}`).toBe('ok');
    }
    // The same by a POSTed form (formPost), for a few that send many ids.
    for (const [method, params] of [
      ['savePlayQueue', { id: ids.slice(0, 6), current: ids[2] }],
      ['createPlaylist', { name: 'Posted', songId: ids.slice(0, 5) }],
      ['getAlbumList2', { type: 'newest' }],
    ] as [string, Params][]) {
      expect((await app.both(method, params, { post: true })).status, method).toBe('ok');
    }
    // An apiKey: tokenInfo names its owner.
    const info = await app.both('tokenInfo', {}, { auth: { u: undefined, p: undefined, apiKey: app.appPassword } });
    expect(info.tokenInfo).toEqual({ username: app.username });
    const other = (await app.call('createPlaylist', { name: 'Spare' })).body.playlist;
    expect((await app.call('deletePlaylist', { id: playlist.id }, { format: 'xml' })).body.status).toBe('ok');
    expect((await app.call('deletePlaylist', { id: other.id })).body.status).toBe('ok');
  });

  it('when an app errs or the server refuses, then the failures match the schemas too, in XML and JSON', async () => {
    await catalog();
    const app = await subsonicListener(t.db);
    const failures: [string, Params, number, CallOptionsLike?][] = [
      ['getSong', {}, 10],
      ['getSong', { id: 999_999 }, 70],
      ['getAlbum', { id: 'al-nothing' }, 70],
      ['getArtist', { id: 'ar-bm9ib2R5' }, 70],
      ['getMusicDirectory', { id: '1' }, 70],
      ['getAlbumList2', { type: 'sideways' }, 0],
      ['getAlbumList2', { type: 'byYear' }, 10],
      ['getRandomSongs', { genre: 'No \u0007such mood' }, 70],
      ['setRating', { id: 'nothing', rating: 3 }, 70],
      ['setRating', { id: '1', rating: 9 }, 0],
      ['createBookmark', { id: 1 }, 10],
      ['deleteBookmark', { id: 1 }, 70],
      ['getLyricsBySongId', { id: 424_242 }, 70],
      ['tokenInfo', {}, 42],
      ['ping', {}, 40, { auth: { p: 'not-it' } }],
      ['ping', {}, 44, { auth: { u: undefined, p: undefined, apiKey: 'not-a-key' } }],
      ['ping', {}, 43, { auth: { apiKey: 'both' } }],
      ['stream', { id: 999_999 }, 70],
      ['getCoverArt', { id: 'nothing-here' }, 70],
      ['getAvatar', { username: 'anyone' }, 70],
    ];
    for (const [method, params, code, options] of failures) {
      const answer = await app.both(method, params, options);
      expect(answer, `${method} ${JSON.stringify(params)}`).toMatchObject({ status: 'failed', error: { code } });
    }
    const unknown = await app.call('getPlayQueueByIndex', {}, { format: 'xml' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 'failed', error: { code: '0' } });
  });
});

type CallOptionsLike = { auth?: Params };

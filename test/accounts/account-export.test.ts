// "Download your data": GET /account/export answers the account's whole content as one JSON file.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { listenerWithEverything } from '../helpers/listener-data.js';

const t = useTestDb();
const titleOf = async (id: number) => (await t.db('songs').where('id', id).first('title', 'artist')) as { title: string; artist: string };

describe('account export', () => {
  it('when a listener downloads their data, then one JSON attachment holds their profile, favorites, playlists in order, history, hidden songs, app password names and what their apps keep', async () => {
    const app = createTestApp(t.db);
    const { leaver, songs, genre, appPassword } = await listenerWithEverything(app, t.db);
    const account = await leaver.agent.get('/account').expect(200);
    expect(account.text).toContain('href="/account/export"');

    const res = await leaver.agent.get('/account/export').expect(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="stereodose-${leaver.username}.json"`);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(res.text);
    expect(Object.keys(data)).toEqual(['exportedAt', 'profile', 'favorites', 'playlists', 'history', 'hiddenSongs', 'appPasswords', 'apps']);
    const { s1, s2, s3, s4 } = songs;
    const song = async (id: number) => ({ songId: id, ...(await titleOf(id)) });

    expect(data.profile).toEqual({ username: leaver.username, email: leaver.email, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(data.favorites.map((f: { songId: number }) => f.songId).sort()).toEqual([s1, s2, s3].sort());
    for (const f of data.favorites) {
      expect(f).toEqual({ ...(await song(f.songId)), favoritedAt: expect.any(String) });
      expect(Math.abs(Date.parse(f.favoritedAt) - Date.now())).toBeLessThan(120_000);
    }
    expect(data.playlists).toHaveLength(2);
    const nightDrive = data.playlists.find((p: { name: string }) => p.name === 'Night drive');
    expect(nightDrive).toEqual({
      name: 'Night drive',
      public: false,
      songs: [
        { position: 1, ...(await song(s3)) },
        { position: 2, ...(await song(s1)) },
        { position: 3, ...(await song(s2)) },
      ],
    });
    expect(data.playlists.find((p: { name: string }) => p.name === 'Empty for now')).toEqual({ name: 'Empty for now', public: false, songs: [] });
    const genreName = `Drug ${genre.drugSlug} · Mood ${genre.moodSlug}`;
    expect(data.history).toEqual([
      { ...(await song(s2)), playedAt: expect.any(String), genre: null },
      { ...(await song(s1)), playedAt: expect.any(String), genre: genreName },
    ]);
    expect(data.hiddenSongs).toEqual([{ ...(await song(s4)), genre: genreName, hiddenAt: expect.any(String) }]);
    expect(data.appPasswords).toEqual([{ name: 'Phone — Symfonium', createdAt: expect.any(String), lastUsedAt: expect.any(String) }]);
    const { artist, album } = await t.db('songs').where('id', s1).first('artist', 'album');
    expect(data.apps).toEqual({
      songRatings: [{ songId: s1, rating: 4, ratedAt: expect.any(String) }],
      artists: [{ artist, starredAt: expect.any(String), rating: null }],
      albums: [{ artist, album, starredAt: expect.any(String), rating: null }],
      bookmarks: [{ songId: s2, positionMs: 61_000, comment: 'the bridge', changedAt: expect.any(String) }],
      playQueue: { songIds: [s1, s2], currentSongId: s2, positionMs: 5000, changedBy: 'DSub', changedAt: expect.any(String) },
    });
    // Never a secret: not the app password, its sealed form or digest, nor the password hash.
    const row = await t.db('app_passwords').first('sealed', 'digest');
    const user = await t.db('users').where('id', leaver.userId).first('password_hash');
    for (const secret of [appPassword, row.sealed, row.digest, user.password_hash]) expect(res.text).not.toContain(secret);
    expect(res.text).not.toContain('Keep me'); // the other listener's playlist
  });

  it('when nobody is logged in, then the export sends them to log in', async () => {
    const res = await request(createTestApp(t.db)).get('/account/export');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Faccount%2Fexport');
  });
});

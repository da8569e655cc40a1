// Answers that depend on who asks are never stored by a browser, proxy or CDN cache: every page and
// JSON answer of a logged-in listener, every listener's or admin's path, every page with a session's
// CSRF token, and every Subsonic answer send Cache-Control: no-store. Pages the same for everyone
// stay cacheable. (test/app-shell: the service worker never caches them either.)
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';
import { csrfFrom } from '../helpers/session.js';

const t = useTestDb();

async function catalog() {
  const genre = await makeGenre(t.db);
  const [songId] = await makeSongs(t.db, genre.genreId, 3);
  return { genre, songId: songId!, path: `${genre.drugSlug}/${genre.moodSlug}` };
}

describe('private answers', () => {
  it('when a logged-in admin opens any page or JSON that depends on the session, then it answers no-store', async () => {
    const { genre, path } = await catalog();
    const app = createTestApp(t.db);
    const { agent } = await adminAgent(app, t.db);
    const pages = [
      '/account',
      '/account/export',
      '/me/history',
      '/me/hidden',
      '/favorites',
      '/favorites/play',
      '/api/favorites/playlist',
      '/my/playlists',
      '/admin',
      '/admin/songs',
      '/admin/signals',
      '/admin/audit',
      '/admin/drugs',
      '/admin/import',
      '/',
      `/playlist/${genre.drugSlug}`,
      `/playlist/${path}`,
      `/api/playlists/${path}?radio=1`,
      '/popular',
    ];
    for (const page of pages) {
      const res = await agent.get(page);
      expect([page, res.status, res.headers['cache-control']]).toEqual([page, 200, 'no-store']);
    }
    const _csrf = await csrfFrom(agent, '/account');
    const made = await agent.post('/my/playlists').type('form').send({ _csrf, name: 'Mine' });
    expect(made.headers['cache-control']).toBe('no-store');
    const hearts = await agent.put(`/api/favorites/${(await t.db('songs').first('id')).id}`).set('x-csrf-token', _csrf);
    expect([hearts.status, hearts.headers['cache-control']]).toEqual([200, 'no-store']);
  });

  it('when a visitor without a session asks for a private path or a page with a form, then no-store too; public pages stay cacheable', async () => {
    const { path } = await catalog();
    const app = createTestApp(t.db);
    for (const page of ['/account', '/me/history', '/favorites', '/my/playlists', '/admin', '/login', '/register', '/forgot']) {
      const res = await request(app).get(page);
      expect([page, res.headers['cache-control']]).toEqual([page, 'no-store']);
    }
    for (const page of ['/', `/playlist/${path}`, `/api/playlists/${path}`, '/popular', '/offline']) {
      const res = await request(app).get(page).expect(200);
      expect([page, res.headers['cache-control']]).not.toEqual([page, 'no-store']);
    }
  });

  it('when a Subsonic app asks anything, then the answer (about its listener) is not stored', async () => {
    const res = await request(createTestApp(t.db)).get('/rest/ping.view').query({ u: 'nobody', p: 'nothing', f: 'json' });
    expect(res.body['subsonic-response'].status).toBe('failed');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

// The order of createApp's layers is behaviour: what runs before what decides which requests get
// security headers, a session, a CSRF check, and the error pages.
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';

const t = useTestDb();

describe('the layers of the app', () => {
  const layersOf = (): string[] => createTestApp(t.db).locals.layers;
  const comesBefore = (names: string[], first: string, ...then: string[]) => {
    expect(names).toContain(first);
    for (const name of then) {
      expect(names, `${first} before ${name}`).toContain(name);
      expect(names.indexOf(first), `${first} before ${name}`).toBeLessThan(names.indexOf(name));
    }
  };
  const routes = [
    'playlist api',
    'visitor plays',
    'health',
    'app shell',
    'static',
    'media',
    'previews',
    'subsonic',
    'embeds',
    'player page',
    'accounts',
    'account page',
    'password resets',
    'email verifications',
    'admin',
    'user playlists',
    'catalog',
    'favorites',
    'hidden songs',
    'plays',
    'history',
  ];
  const forms = [
    'player page',
    'accounts',
    'account page',
    'password resets',
    'email verifications',
    'admin',
    'user playlists',
    'catalog',
    'favorites',
    'hidden songs',
    'plays',
    'history',
  ];

  it('when a request comes in, then it is logged first, and gets its security headers before any route answers', () => {
    const names = layersOf();
    expect(names[0]).toBe('request log');
    comesBefore(names, 'security headers', ...routes);
  });

  it('when a form or a listener API is posted, then the body, the session and the uploads are read before the CSRF check, and the CSRF check before the routes', () => {
    const names = layersOf();
    comesBefore(names, 'body parsers', 'csrf');
    comesBefore(names, 'session', 'private answers', 'csrf', 'flash', 'listener locals');
    comesBefore(names, 'admin uploads', 'csrf');
    comesBefore(names, 'csrf', ...forms);
    comesBefore(names, 'page locals', 'embeds', ...forms);
  });

  it('when no route answers, then the 404 page comes, and the error handler is the very last layer', () => {
    const names = layersOf();
    expect(names.slice(-2)).toEqual(['not found', 'errors']);
  });

  it('when a layer is named, then it is named once', () => {
    const names = layersOf();
    expect(new Set(names).size).toBe(names.length);
  });

  it('when the playlist API and the cookie-less routes are asked, then they come before the session (no session is read for them)', () => {
    const names = layersOf();
    comesBefore(names, 'playlist api', 'session');
    comesBefore(names, 'embeds', 'session');
    comesBefore(names, 'subsonic', 'session');
  });
});

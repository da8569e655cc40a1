// /rest: the Subsonic and OpenSubsonic API, so Subsonic apps play Stereodose. No cookie is read
// here, so no CSRF token is asked, and any origin may call it (CORS). Every answer, errors
// included, is the Subsonic envelope: never an HTML page, never a 500. This file holds the system
// methods, the radio and the audio; subsonic-library.routes.ts browsing, subsonic-listener.routes.ts
// the listener's own stars, playlists and plays.
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { LoginLimiter } from '../accounts/login-limiter.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import { publicDir } from '../paths.js';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import { libraryMethods } from './subsonic-library.routes.js';
import { listenerMethods } from './subsonic-listener.routes.js';
import { createMethodRegistrar, type Handler, idOf, methodParams, wholeNumber } from './subsonic.method.js';
import { SubsonicError, sendSubsonic } from './subsonic.response.js';
import type { SubsonicService } from './subsonic.service.js';
import { toChild } from './subsonic.songs.js';

interface Deps {
  subsonic: SubsonicService;
  appPasswords: AppPasswordsService;
  limiter: LoginLimiter;
  /** The listener's own playlists, with the web pages' rules (someone else's: 50; gone: 70). */
  playlists: UserPlaylistsService;
  /** Serves a song's own audio (/media/…) with Range support. */
  media: RequestHandler;
}

const EXTENSIONS = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
];

const random = z.object({ size: wholeNumber(1, 500, 10), genre: z.string().optional() });
const byGenre = z.object({ genre: z.string(), count: wholeNumber(1, 500, 10), offset: wholeNumber(0, 2 ** 31 - 1, 0) });

export function createSubsonicRouter({ subsonic, appPasswords, limiter, playlists, media }: Deps): Router {
  const router = Router();
  router.use('/rest', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 }));
  router.use('/rest', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.set('Access-Control-Allow-Methods', 'GET, POST').set('Access-Control-Allow-Headers', 'Content-Type').status(204).end();
  });
  const method = createMethodRegistrar(router, { appPasswords, limiter });

  method('ping', () => ({}));
  method('getLicense', () => ({ license: { valid: true } }));
  method('getOpenSubsonicExtensions', () => ({ openSubsonicExtensions: EXTENSIONS }));
  method('getMusicFolders', () => ({ musicFolders: { musicFolder: [{ id: 1, name: 'Stereodose' }] } }));

  method('getGenres', async () => ({
    genres: { genre: (await subsonic.genres()).map((g) => ({ songCount: g.songCount, albumCount: 0, value: g.name })) },
  }));

  method('getRandomSongs', async (_req, _res, params, userId) => {
    const { size, genre } = methodParams(random, params);
    const drawn = await subsonic.randomSongs(userId, size, genre);
    return { randomSongs: { song: drawn.map(({ song, genre: g }) => toChild(song, g)) } };
  });

  method('getSongsByGenre', async (_req, _res, params) => {
    const { genre, count, offset } = methodParams(byGenre, params);
    const songs = await subsonic.songsByGenre(genre, count, offset);
    return { songsByGenre: { song: songs.map(({ song, genre: g }) => toChild(song, g)) } };
  });

  method('getSong', async (_req, _res, params) => {
    const { song, genre } = await subsonic.song(idOf(params.id, 'id', 'Song'));
    return { song: toChild(song, genre) };
  });

  // stream and download: our own audio (demo tracks, uploads) with Range support; elsewhere, a redirect.
  const audio: Handler = async (req, res, params) => {
    const { song } = await subsonic.song(idOf(params.id, 'id', 'Song'));
    if (!song.url.startsWith('/media/')) {
      res.redirect(302, song.url);
      return null;
    }
    req.url = song.url;
    await new Promise<void>((resolve, reject) => {
      res.once('finish', resolve).once('close', resolve);
      media(req, res, (err?: unknown) => reject(err ?? new SubsonicError(70, 'Song audio not found')));
    });
    return null;
  };
  method('stream', audio);
  method('download', audio);

  // The drug's artwork: a song's coverArt is `drug-<slug>` (one picture per drug, any size asked).
  const artworkDir = path.join(publicDir, 'img', 'drugs');
  const artwork = new Set(fs.readdirSync(artworkDir).map((name) => name.replace(/\.svg$/, '')));
  method('getCoverArt', (_req, res, params) => {
    if (params.id === undefined) throw new SubsonicError(10, 'Required parameter is missing: id');
    const slug = /^drug-([a-z0-9-]{1,64})$/.exec(params.id)?.[1];
    if (!slug) throw new SubsonicError(70, 'Cover art not found');
    res
      .type('image/svg+xml')
      .set('Cache-Control', 'public, max-age=86400')
      .sendFile(artwork.has(slug) ? `${slug}.svg` : 'default.svg', { root: artworkDir });
    return null;
  });

  libraryMethods(method, subsonic);
  listenerMethods(method, subsonic, playlists);

  router.all('/rest/*rest', (req, res) => sendSubsonic(req, res, {}, new SubsonicError(0, `Unknown method ${req.path.replace(/^\/rest\//, '')}`)));
  return router;
}

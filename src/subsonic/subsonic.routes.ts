// /rest: the Subsonic and OpenSubsonic API, so Subsonic apps play Stereodose. Each method answers
// with and without `.view`, to GET and to a POSTed form; no cookie is read here, so no CSRF token
// is asked, and any origin may call it (CORS). Every answer, errors included, is the Subsonic
// envelope: never an HTML page, never a 500.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import type { LoginLimiter } from '../accounts/login-limiter.js';
import { TooManyAttempts } from '../accounts/login-limiter.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import { AppError } from '../http/errors.js';
import { publicDir } from '../paths.js';
import { allOf, credentialsOf, paramsOf } from './subsonic.auth.js';
import { SubsonicError, sendSubsonic } from './subsonic.response.js';
import type { SubsonicService } from './subsonic.service.js';
import type { AlbumRow } from './subsonic.repository.js';
import { albumId, albumName, artistId, toChild } from './subsonic.songs.js';

interface Deps {
  subsonic: SubsonicService;
  appPasswords: AppPasswordsService;
  limiter: LoginLimiter;
  /** The listener's own playlists, with the web pages' rules (someone else's: 50; gone: 70). */
  playlists: UserPlaylistsService;
  /** Serves a song's own audio (/media/…) with Range support. */
  media: RequestHandler;
}

/** The drugs with artwork of their own (public/img/drugs/); the others get the default. */
const artworkDir = path.join(publicDir, 'img', 'drugs');
const ARTWORK = new Set(fs.readdirSync(artworkDir).map((name) => name.replace(/\.svg$/, '')));

const EXTENSIONS = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
];

const count = (max: number, fallback: number) => z.preprocess((v) => (v === undefined ? fallback : Number(v)), z.number().int().min(1).max(max));
const idParam = z.object({ id: z.string().regex(/^[1-9]\d{0,9}$/) });

/** A method's parameters parsed; a missing one is error 10, a malformed one error 0. */
function parseParams<S extends z.ZodObject>(schema: S, params: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join('.');
  if (params[name] === undefined) throw new SubsonicError(10, `Required parameter is missing: ${name}`);
  throw new SubsonicError(0, `Invalid parameter ${name}: ${issue.message}`);
}

type Method = (req: Request, res: Response, params: Record<string, string | undefined>, userId: number) => Promise<unknown> | unknown;

export function createSubsonicRouter({ subsonic, appPasswords, limiter, playlists, media }: Deps): Router {
  const router = Router();
  router.use('/rest', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 100 }));
  router.use('/rest', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, POST').set('Access-Control-Allow-Headers', 'Content-Type').status(204).end();
      return;
    }
    next();
  });

  /** Who is asking: an app password's owner; wrong ones count against the login limits. */
  async function listener(req: Request, params: Record<string, string | undefined>): Promise<number> {
    const credentials = credentialsOf(params);
    const username = credentials.kind === 'apiKey' ? '(api key)' : credentials.username;
    await limiter.attempt(username, req.ip ?? '');
    const userId = await appPasswords.authenticate(credentials);
    if (userId === undefined) {
      throw credentials.kind === 'apiKey' ? new SubsonicError(44, 'Invalid API key') : new SubsonicError(40, 'Wrong username or password');
    }
    await limiter.succeeded(username, req.ip ?? '');
    return userId;
  }

  function method(name: string, handler: Method): void {
    const run = async (req: Request, res: Response, next: NextFunction) => {
      const params = paramsOf(req);
      try {
        const userId = await listener(req, params);
        const body = await handler(req, res, params, userId);
        if (!res.headersSent && body !== null) sendSubsonic(req, res, (body ?? {}) as Record<string, unknown>);
      } catch (err) {
        if (res.headersSent) return next(err);
        sendSubsonic(req, res, {}, asSubsonicError(err, req, res));
      }
    };
    router.all([`/rest/${name}`, `/rest/${name}.view`], (req, res, next) => void run(req, res, next));
  }

  method('ping', () => ({}));
  method('getLicense', () => ({ license: { valid: true } }));
  method('getOpenSubsonicExtensions', () => ({ openSubsonicExtensions: EXTENSIONS }));
  method('getMusicFolders', () => ({ musicFolders: { musicFolder: [{ id: 1, name: 'Stereodose' }] } }));

  method('getGenres', async () => ({
    genres: { genre: (await subsonic.genres()).map((g) => ({ songCount: g.songCount, albumCount: 0, value: g.name })) },
  }));

  method('getRandomSongs', async (_req, _res, params, userId) => {
    const { size, genre } = parseParams(z.object({ size: count(500, 10), genre: z.string().optional() }), params);
    const drawn = await subsonic.randomSongs(userId, size, genre);
    return { randomSongs: { song: drawn.map(({ song, genre: g }) => toChild(song, g)) } };
  });

  method('getSongsByGenre', async (_req, _res, params) => {
    const {
      genre,
      count: n,
      offset,
    } = parseParams(
      z.object({ genre: z.string(), count: count(500, 10), offset: z.preprocess((v) => (v === undefined ? 0 : Number(v)), z.number().int().min(0)) }),
      params,
    );
    const songs = await subsonic.songsByGenre(genre, n, offset);
    return { songsByGenre: { song: songs.map(({ song, genre: g }) => toChild(song, g)) } };
  });

  // Browsing by artist and album, as far as the catalog's artist and album fields allow.
  const albumOfRow = (a: AlbumRow) => ({
    id: albumId(a.artist, a.album),
    name: albumName(a.album),
    title: albumName(a.album),
    artist: a.artist,
    artistId: artistId(a.artist),
    songCount: a.songCount,
    duration: a.duration,
    isDir: true,
  });
  const indexOf = (artists: { artist: string; albumCount: number }[]) => {
    const byLetter = new Map<string, { id: string; name: string; albumCount: number }[]>();
    for (const { artist, albumCount } of artists) {
      const letter = /^[a-z]/i.test(artist) ? artist[0]!.toUpperCase() : '#';
      byLetter.set(letter, [...(byLetter.get(letter) ?? []), { id: artistId(artist), name: artist, albumCount }]);
    }
    return [...byLetter].map(([name, artist]) => ({ name, artist }));
  };
  method('getArtists', async () => ({ artists: { ignoredArticles: '', index: indexOf(await subsonic.artists()) } }));
  method('getIndexes', async () => ({ indexes: { lastModified: 0, ignoredArticles: '', index: indexOf(await subsonic.artists()) } }));
  method('getArtist', async (_req, _res, params) => {
    const { id } = parseParams(z.object({ id: z.string() }), params);
    const { name, albums } = await subsonic.artist(id);
    return { artist: { id: artistId(name), name, albumCount: albums.length, album: albums.map(albumOfRow) } };
  });
  method('getAlbum', async (_req, _res, params) => {
    const { id } = parseParams(z.object({ id: z.string() }), params);
    const { artist, album, songs } = await subsonic.album(id);
    const duration = songs.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0);
    return {
      album: {
        ...albumOfRow({ artist, album, songCount: songs.length, duration }),
        song: songs.map((song) => ({ ...toChild(song), parent: albumId(artist, album), albumId: albumId(artist, album), artistId: artistId(artist) })),
      },
    };
  });
  method('search3', async (_req, _res, params) => {
    const counts = parseParams(
      z.object({
        query: z.string().max(200),
        songCount: z.preprocess((v) => (v === undefined ? 20 : Number(v)), z.number().int().min(0).max(500)),
        songOffset: z.preprocess((v) => (v === undefined ? 0 : Number(v)), z.number().int().min(0)),
        artistCount: z.preprocess((v) => (v === undefined ? 20 : Number(v)), z.number().int().min(0).max(500)),
        artistOffset: z.preprocess((v) => (v === undefined ? 0 : Number(v)), z.number().int().min(0)),
        albumCount: z.preprocess((v) => (v === undefined ? 20 : Number(v)), z.number().int().min(0).max(500)),
        albumOffset: z.preprocess((v) => (v === undefined ? 0 : Number(v)), z.number().int().min(0)),
      }),
      params,
    );
    const found = await subsonic.search(counts.query, counts);
    return {
      searchResult3: {
        artist: found.artists.map((name) => ({ id: artistId(name), name })),
        album: found.albums.map(albumOfRow),
        song: found.songs.map((song) => toChild(song)),
      },
    };
  });

  // The listener's own playlists (the same ones, and the same rules, as /my/playlists).
  const playlistIdOf = (value: string | undefined, name: string) => {
    if (value === undefined) throw new SubsonicError(10, `Required parameter is missing: ${name}`);
    if (!/^[1-9]\d{0,9}$/.test(value)) throw new SubsonicError(70, 'Playlist not found');
    return Number(value);
  };
  const playlistOf = async (userId: number, id: number, username: string) => {
    const { playlist, songs } = await playlists.view(userId, id);
    return {
      id: String(playlist.id),
      name: playlist.name,
      owner: username,
      public: playlist.isPublic,
      songCount: songs.length,
      duration: songs.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0),
      entry: songs.map((song) => toChild(song)),
    };
  };
  const usernameOf = async (userId: number, params: Record<string, string | undefined>) => params.u ?? (await subsonic.username(userId));
  method('getPlaylists', async (_req, _res, params, userId) => {
    const owner = await usernameOf(userId, params);
    const mine = await playlists.list(userId);
    return { playlists: { playlist: mine.map((p) => ({ id: String(p.id), name: p.name, owner, public: p.isPublic, songCount: p.songCount })) } };
  });
  method('getPlaylist', async (_req, _res, params, userId) => ({
    playlist: await playlistOf(userId, playlistIdOf(params.id, 'id'), await usernameOf(userId, params)),
  }));
  method('createPlaylist', async (req, _res, params, userId) => {
    const songIds = allOf(req, 'songId').map((id) => playlistIdOf(id, 'songId'));
    let id: number;
    if (params.playlistId !== undefined) {
      // With a playlistId: its songs become these, in this order.
      id = playlistIdOf(params.playlistId, 'playlistId');
      for (const song of (await playlists.view(userId, id)).songs) await playlists.removeSong(userId, id, song.id);
    } else {
      const { name } = parseParams(z.object({ name: z.string().trim().min(1).max(100) }), params);
      id = (await playlists.create(userId, name)).id;
    }
    for (const songId of songIds) await playlists.addSong(userId, id, songId);
    return { playlist: await playlistOf(userId, id, await usernameOf(userId, params)) };
  });
  method('updatePlaylist', async (req, _res, params, userId) => {
    const id = playlistIdOf(params.playlistId, 'playlistId');
    const before = (await playlists.view(userId, id)).songs;
    if (params.name !== undefined) await playlists.rename(userId, id, parseParams(z.object({ name: z.string().trim().min(1).max(100) }), params).name);
    if (params.public !== undefined) await playlists.setPublic(userId, id, params.public === 'true');
    // Indexes name songs as the playlist was before this call.
    for (const index of allOf(req, 'songIndexToRemove').map(Number)) {
      const song = before[index];
      if (!Number.isInteger(index) || !song) throw new SubsonicError(70, `No song at index ${index}`);
      await playlists.removeSong(userId, id, song.id);
    }
    for (const songId of allOf(req, 'songIdToAdd')) await playlists.addSong(userId, id, playlistIdOf(songId, 'songIdToAdd'));
    return {};
  });
  method('deletePlaylist', async (_req, _res, params, userId) => {
    await playlists.remove(userId, playlistIdOf(params.id, 'id'));
    return {};
  });

  method('getSong', async (_req, _res, params) => {
    const { song, genre } = await subsonic.song(Number(parseParams(idParam, params).id));
    return { song: toChild(song, genre) };
  });

  // stream and download: our own audio (demo tracks, uploads) with Range support; elsewhere, a redirect.
  const audio: Method = async (req, res, params) => {
    const { song } = await subsonic.song(Number(parseParams(idParam, params).id));
    if (!song.url.startsWith('/media/')) {
      res.redirect(302, song.url);
      return null;
    }
    req.url = song.url;
    await new Promise<void>((resolve, reject) => {
      res.once('finish', resolve).once('close', resolve);
      media(req, res, (err?: unknown) => (err ? reject(err) : reject(new SubsonicError(70, 'Song audio not found'))));
    });
    return null;
  };
  method('stream', audio);
  method('download', audio);

  // The drug's artwork: a song's coverArt is `drug-<slug>` (one picture per drug, any size asked).
  method('getCoverArt', (_req, res, params) => {
    const slug = /^drug-([a-z0-9-]{1,64})$/.exec(params.id ?? '')?.[1];
    if (params.id === undefined) throw new SubsonicError(10, 'Required parameter is missing: id');
    if (!slug) throw new SubsonicError(70, 'Cover art not found');
    const file = ARTWORK.has(slug) ? `${slug}.svg` : 'default.svg';
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').sendFile(file, { root: artworkDir });
    return null;
  });

  method('getUser', async (_req, _res, params, userId) => {
    const { username } = parseParams(z.object({ username: z.string() }), params);
    const user = await subsonic.user(userId, username);
    return {
      user: {
        username: user.username,
        email: user.email ?? undefined,
        scrobblingEnabled: true,
        adminRole: user.isAdmin,
        settingsRole: false,
        downloadRole: true,
        uploadRole: false,
        playlistRole: true,
        coverArtRole: false,
        commentRole: false,
        podcastRole: false,
        streamRole: true,
        jukeboxRole: false,
        shareRole: false,
        videoConversionRole: false,
        folder: [1],
      },
    };
  });

  /** The song ids of a star, unstar or scrobble (several `id`s allowed); albums and artists are not starred here. */
  const songIdsOf = (req: Request) => {
    const ids = allOf(req, 'id');
    if (ids.some((id) => !/^[1-9]\d{0,9}$/.test(id))) throw new SubsonicError(70, 'Song not found');
    return ids.map(Number);
  };
  method('star', async (req, _res, _params, userId) => {
    await subsonic.star(userId, songIdsOf(req), true);
    return {};
  });
  method('unstar', async (req, _res, _params, userId) => {
    await subsonic.star(userId, songIdsOf(req), false);
    return {};
  });
  const starred = async (userId: number) => ({ song: (await subsonic.starred(userId)).map((song) => ({ ...toChild(song), starred: true })) });
  method('getStarred', async (_req, _res, _params, userId) => ({ starred: await starred(userId) }));
  method('getStarred2', async (_req, _res, _params, userId) => ({ starred2: await starred(userId) }));

  method('scrobble', async (req, _res, params, userId) => {
    const ids = songIdsOf(req);
    if (ids.length === 0) throw new SubsonicError(10, 'Required parameter is missing: id');
    await subsonic.scrobble(userId, ids, params.submission !== 'false');
    return {};
  });

  router.all('/rest/*rest', (req, res) => sendSubsonic(req, res, {}, new SubsonicError(0, `Unknown method ${req.path.replace(/^\/rest\//, '')}`)));
  return router;
}

/** Everything a method throws, as the Subsonic error a client understands. */
function asSubsonicError(err: unknown, req: Request, res: Response): SubsonicError {
  if (err instanceof SubsonicError) return err;
  if (err instanceof TooManyAttempts) {
    res.set('Retry-After', String(Math.ceil(err.retryAfterSeconds)));
    return new SubsonicError(0, err.message);
  }
  if (err instanceof AppError && err.status === 404) return new SubsonicError(70, err.message);
  if (err instanceof AppError && err.status === 403) return new SubsonicError(50, err.message);
  if (err instanceof AppError && err.status < 500) return new SubsonicError(0, err.message);
  req.log?.error({ err }, 'subsonic method failed');
  return new SubsonicError(0, 'Stereodose could not answer that right now; please try again.');
}

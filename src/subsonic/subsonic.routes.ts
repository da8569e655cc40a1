import express, { type ErrorRequestHandler, type Request, Router } from 'express';
import { z } from 'zod';
import type { LoginLimiter } from '../accounts/login-limiter.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import { noneMatch } from '../http/etag.js';
import { sendMediaAudio } from '../media/audio-response.js';
import { type CoverStore, coverSize } from '../media/cover-store.js';
import type { MediaService } from '../media/media.service.js';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import { createCoverArt } from './cover-art.js';
import { discoveryMethods } from './subsonic-discovery.routes.js';
import { libraryMethods } from './subsonic-library.routes.js';
import { listenerMethods } from './subsonic-listener.routes.js';
import type { SubsonicListenerService } from './subsonic-listener.service.js';
import { playlistMethods } from './subsonic-playlists.routes.js';
import { queueMethods } from './subsonic-queue.routes.js';
import { createMethodRegistrar, type Handler, idOf, type MethodDeps, methodParams } from './subsonic.method.js';
import type { SubsonicPresenter } from './subsonic.present.js';
import { SubsonicError, sendSubsonic } from './subsonic.response.js';
import type { SubsonicService } from './subsonic.service.js';
import { albumOf, artistOf } from './subsonic.songs.js';

interface Deps {
  subsonic: SubsonicService;
  listener: SubsonicListenerService;
  present: SubsonicPresenter;
  appPasswords: AppPasswordsService;
  limiter: LoginLimiter;
  /** The listener's own playlists, with the web pages' rules (someone else's: 50; gone: 70). */
  playlists: UserPlaylistsService;
  /** Names a song's own audio (/media/…), sent with Range support. */
  media: MediaService;
  /** Songs' own covers. */
  covers: CoverStore;
  /** An absolute URL of this site (PUBLIC_URL, or the request's origin). */
  publicUrl: (req: Request, path: string) => string;
}

const EXTENSIONS = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
  { name: 'songLyrics', versions: [1] },
];

/** The most a /rest form may hold: what the security review set for every form on the site. */
const BODY_LIMIT = '16kb';
const FIELDS_LIMIT = 100;

const cover = z.object({
  id: z.string().max(2000),
  size: z.preprocess((v) => (v === undefined ? undefined : Number(v)), z.number().int().min(1).max(10_000).optional()),
});

export function createSubsonicRouter({ subsonic, listener, present, appPasswords, limiter, playlists, media, covers, publicUrl }: Deps): Router {
  const router = Router();
  router.use('/rest', (req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    res.set('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, Retry-After');
    // Audio and artwork may be shown by pages elsewhere (helmet's default is same-origin).
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method !== 'OPTIONS') return next();
    res.set('Access-Control-Allow-Methods', 'GET, POST').set('Access-Control-Allow-Headers', 'Content-Type, Range').status(204).end();
  });
  router.use('/rest', express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: FIELDS_LIMIT }));
  // A form too large or unreadable: the envelope still, with the HTTP status that says why.
  const unreadable: ErrorRequestHandler = (err: { status?: number; type?: string }, req, res, _next) => {
    const tooLarge = err.status === 413 || err.type === 'parameters.too.many';
    const message = tooLarge ? `The request is too large: at most ${BODY_LIMIT}B and ${FIELDS_LIMIT} fields.` : 'The request body could not be read.';
    sendSubsonic(req, res, {}, new SubsonicError(0, message, undefined, tooLarge ? 413 : 400));
  };
  router.use('/rest', unreadable);

  const accountPage = (req: Request) => {
    try {
      return publicUrl(req, '/account#app-passwords');
    } catch {
      return undefined; // a Host we cannot name: no link, the message still says where
    }
  };
  const method = createMethodRegistrar(router, { appPasswords, limiter, accountPage });

  method('ping', () => ({}));
  method('getLicense', () => ({ license: { valid: true } }));
  method('getOpenSubsonicExtensions', () => ({ openSubsonicExtensions: EXTENSIONS }), { public: true });
  method('getMusicFolders', () => ({ musicFolders: { musicFolder: [{ id: 1, name: 'Stereodose' }] } }));
  // The catalog is the database: there is never a scan to wait for.
  const scanStatus = async () => ({ scanStatus: { scanning: false, count: await subsonic.songCount() } });
  method('getScanStatus', scanStatus);
  method('startScan', scanStatus);
  method('tokenInfo', async (_req, _res, _params, userId, auth) => {
    if (auth !== 'apiKey') throw new SubsonicError(42, 'tokenInfo tells about an apiKey: call it with one.');
    return { tokenInfo: { username: await subsonic.username(userId) } };
  });

  // stream and download: our own audio (demo tracks, uploads) with Range support, by GET or a
  // POSTed form; a song hosted elsewhere is a redirect to it. `stream` sends the compressed copy
  // listeners stream (a lossless upload's, a demo song's), `download` the original. A stream from
  // its start is what the listener is playing now.
  const audio =
    (streaming: boolean): Handler =>
    async (req, res, params, userId) => {
      const { song } = await subsonic.song(idOf(params.id, 'id', 'Song'));
      if (streaming && !/^bytes=[1-9]/.test(req.get('range') ?? '')) await listener.playing(userId, song.id, String(params.c ?? 'Subsonic app').slice(0, 100));
      const target = streaming ? (song.streamUrl ?? song.url) : song.url;
      if (!target.startsWith('/media/')) {
        res.redirect(302, target);
        return null;
      }
      // A POSTed form asks for the same bytes as a GET.
      await sendMediaAudio(req, res, media.audioAt(target));
      return null;
    };
  method('stream', audio(true));
  method('download', audio(false));

  // Cover art: a song's is its own cover (its id) or else its drug's artwork (`drug-<slug>`); an
  // album's, an artist's and a playlist's is their own id, drawn as their first song's cover.
  const art = createCoverArt();
  const notFound = (): never => {
    throw new SubsonicError(70, 'Cover art not found');
  };
  async function coverOf(userId: number, id: string): Promise<{ drug: string; cover?: string }> {
    const drug = /^drug-([a-z0-9-]{1,64})$/.exec(id)?.[1];
    if (drug) return { drug };
    let songId: number | undefined;
    if (/^[1-9]\d{0,9}$/.test(id)) songId = Number(id);
    else if (albumOf(id)) songId = (await subsonic.album(id)).songs[0]?.id;
    else if (artistOf(id)) songId = (await subsonic.topSongs(artistOf(id)!, 1))[0]?.id ?? notFound();
    else if (/^pl-[1-9]\d{0,9}$/.test(id)) songId = (await playlists.view(userId, Number(id.slice(3)))).songs[0]?.id;
    else notFound();
    if (songId === undefined) return { drug: 'default' };
    const { song, genre } = await subsonic.song(songId);
    return { drug: genre?.drug.slug ?? 'default', cover: song.cover ?? undefined };
  }
  method('getCoverArt', async (req, res, params, userId) => {
    const { id, size } = methodParams(cover, params);
    const found = await coverOf(userId, id);
    const own = found.cover === undefined ? undefined : await covers.png(found.cover, coverSize(size));
    const image = own ?? art.png(found.drug, size);
    res.set('Cache-Control', 'public, max-age=86400').set('ETag', image.etag).type('image/png');
    if (noneMatch(req.get('if-none-match'), image.etag)) res.status(304).end();
    else res.send(image.body);
    return null;
  });
  method('getAvatar', () => {
    throw new SubsonicError(70, 'Listeners have no avatar here.');
  });

  // What Stereodose has none of: empty lists, so apps show their sections empty rather than failing.
  method('getInternetRadioStations', () => ({ internetRadioStations: {} }));
  method('getPodcasts', () => ({ podcasts: {} }));
  method('getNewestPodcasts', () => ({ newestPodcasts: {} }));
  method('getShares', () => ({ shares: {} }));
  method('getVideos', () => ({ videos: {} }));

  const deps: MethodDeps = { subsonic, listener, present, playlists };
  libraryMethods(method, deps);
  discoveryMethods(method, deps);
  listenerMethods(method, deps);
  playlistMethods(method, deps);
  queueMethods(method, deps);

  // OpenSubsonic models a method a server lacks as HTTP 404 ("not implemented"), in the envelope.
  router.all('/rest/*rest', (req, res) =>
    sendSubsonic(req, res, {}, new SubsonicError(0, `Unknown method ${req.path.replace(/^\/rest\//, '').slice(0, 100)}`, undefined, 404)),
  );
  return router;
}

// createApp(deps): the whole web application without listen(), so tests drive it with supertest.
// The one place that builds repositories and services and hands them to the routers.
import fs from 'node:fs';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createAccountDataRepository } from './accounts/account-data.repository.js';
import { createAccountDataService } from './accounts/account-data.service.js';
import { loginLimitsAccountData, sessionsAccountData } from './accounts/accounts.account-data.js';
import { createAccountPageRouter } from './accounts/account-page.routes.js';
import { createAccountsRouter } from './accounts/accounts.routes.js';
import { appPasswordsAccountData } from './app-passwords/app-passwords.account-data.js';
import { createAppPasswordsRepository } from './app-passwords/app-passwords.repository.js';
import { createAppPasswordsService } from './app-passwords/app-passwords.service.js';
import { createSealer } from './app-passwords/sealing.js';
import { createAppShellRouter } from './app-shell/app-shell.routes.js';
import { createAccountsService } from './accounts/accounts.service.js';
import { createLoginLimiter } from './accounts/login-limiter.js';
import { createPassport } from './accounts/passport.js';
import { absoluteSessionTimeout, createSessionMiddleware } from './accounts/session.js';
import { createUsersRepository } from './accounts/users.repository.js';
import { createAdminRouter } from './admin/admin.router.js';
import { createAuditRepository } from './audit/audit.repository.js';
import { createCatalogAdminRepository } from './admin/catalog/catalog-admin.repository.js';
import { createCatalogAdminService } from './admin/catalog/catalog-admin.service.js';
import { createDashboardRepository } from './admin/dashboard/dashboard.repository.js';
import { createDashboardService } from './admin/dashboard/dashboard.service.js';
import { createSignalsRepository } from './admin/signals/signals.repository.js';
import { createSignalsService } from './admin/signals/signals.service.js';
import { createSongsAdminRepository } from './admin/songs/songs-admin.repository.js';
import { createSongsAdminService } from './admin/songs/songs-admin.service.js';
import { createCatalogRepository } from './catalog/catalog.repository.js';
import { createCatalogRouter } from './catalog/catalog.routes.js';
import { createGenreDirectory } from './catalog/genre.js';
import { harmReductionFor } from './catalog/harm-reduction.js';
import type { Config } from './config.js';
import { dialectOf } from './db/dialect.js';
import type { Db } from './db/knex.js';
import type { NodeMonitor } from './db/node-monitor.js';
import type { ReadReplica } from './db/read-replica.js';
import { retryingReads } from './db/read-retry.js';
import { emailVerificationsAccountData } from './email-verifications/email-verifications.account-data.js';
import { createEmailVerificationsRepository } from './email-verifications/email-verifications.repository.js';
import { createEmailVerificationsRouter } from './email-verifications/email-verifications.routes.js';
import { createEmailVerificationsService } from './email-verifications/email-verifications.service.js';
import { createEmbedRouter, embedDiscovery } from './embed/embed.routes.js';
import { createEmbedService } from './embed/embed.service.js';
import { favoritesAccountData } from './favorites/favorites.account-data.js';
import { createFavoritesRepository } from './favorites/favorites.repository.js';
import { createFavoritesRouter } from './favorites/favorites.routes.js';
import { createFavoritesService } from './favorites/favorites.service.js';
import { historyAccountData } from './history/history.account-data.js';
import { createHistoryRepository } from './history/history.repository.js';
import { createHistoryRouter } from './history/history.routes.js';
import { createHistoryService } from './history/history.service.js';
import { createHealthRouter, type Lifecycle } from './health/health.routes.js';
import { hiddenSongsAccountData } from './hidden-songs/hidden-songs.account-data.js';
import { createHiddenSongsRepository } from './hidden-songs/hidden-songs.repository.js';
import { createHiddenSongsRouter } from './hidden-songs/hidden-songs.routes.js';
import { createHiddenSongsService } from './hidden-songs/hidden-songs.service.js';
import { type Assets, createAssets } from './http/assets.js';
import { compressResponses } from './http/compress.js';
import { csrfProtection } from './http/csrf.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { flashMessages } from './http/flash.js';
import { requireAdmin } from './http/guards.js';
import { scriptJson } from './http/script-json.js';
import { securityHeaders } from './http/security-headers.js';
import { requestLog } from './http/request-log.js';
import { publicUrlOf } from './http/public-url.js';
import { privateAnswers } from './http/private-answers.js';
import { parseUploads } from './http/uploads.js';
import { useEjsViews } from './http/views.js';
import { createImportRepository } from './import/import.repository.js';
import { runImport } from './import/import.service.js';
import { rowsOf } from './import/import.sources.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail/mailer.js';
import { createMediaRouter } from './media/media.routes.js';
import { createMediaService } from './media/media.service.js';
import type { Metrics } from './metrics/metrics.js';
import { createMetricsRouter, observeRequests } from './metrics/metrics.routes.js';
import { createCoverStore } from './media/cover-store.js';
import { createDemoAudio } from './media/demo-audio.js';
import { createFfmpeg } from './media/ffmpeg.js';
import { createUploadStore } from './media/upload-store.js';
import { createAudioRepository } from './audio/audio.repository.js';
import { createAudioService } from './audio/audio.service.js';
import { passwordResetsAccountData, resetLimitsAccountData } from './password-resets/password-resets.account-data.js';
import { createPasswordResetsRepository } from './password-resets/password-resets.repository.js';
import { createPasswordResetsRouter } from './password-resets/password-resets.routes.js';
import { createPasswordResetsService } from './password-resets/password-resets.service.js';
import { createResetLimiter } from './password-resets/reset-limiter.js';
import { publicDir } from './paths.js';
import { createPlaylistRepository } from './playlists/playlist.repository.js';
import { createPlayerPageRouter, createPlaylistApiRouter } from './playlists/playlist.routes.js';
import { createPlaylistService } from './playlists/playlist.service.js';
import { createPlayCounter } from './plays/play-counter.js';
import { createPlayReads, createPlaysRepository } from './plays/plays.repository.js';
import { createPlaysRouter, createVisitorPlaysRouter } from './plays/plays.routes.js';
import { createPlaysService, PLAYS_PER_MINUTE } from './plays/plays.service.js';
import { createTrackListPresenter } from './presenters/track-list.presenter.js';
import { createPreviewsRouter } from './previews/previews.routes.js';
import { createPreviewsService } from './previews/previews.service.js';
import { subsonicAccountData } from './subsonic/subsonic.account-data.js';
import { createSubsonicListenerRepository } from './subsonic/subsonic-listener.repository.js';
import { createSubsonicListenerService } from './subsonic/subsonic-listener.service.js';
import { createSubsonicPresenter } from './subsonic/subsonic.present.js';
import { createSubsonicRepository } from './subsonic/subsonic.repository.js';
import { createSubsonicRouter } from './subsonic/subsonic.routes.js';
import { createSubsonicService } from './subsonic/subsonic.service.js';
import { radiosAccountData } from './radios/radios.account-data.js';
import { createRadiosRepository } from './radios/radios.repository.js';
import { createRadiosService } from './radios/radios.service.js';
import { userPlaylistsAccountData } from './user-playlists/user-playlists.account-data.js';
import { createUserPlaylistsRepository } from './user-playlists/user-playlists.repository.js';
import { createUserPlaylistsRouter } from './user-playlists/user-playlists.routes.js';
import { createUserPlaylistsService, MAX_PLAYLIST_SONGS } from './user-playlists/user-playlists.service.js';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  /**
   * DATABASE_READ_URL: the listener's read-only pages (catalog and playlist draws) read it while it
   * is healthy (see db/read-replica.ts). Everything that writes, or must read its own writes
   * (sessions, accounts, favorites and their hearts, admin, plays and the listener's history, user
   * playlists), stays on db.
   */
  readReplica?: ReadReplica;
  logger?: Logger;
  /** Injectable randomness for the playlist walks (tests pass a seeded generator). */
  random?: () => number;
  /** Set by the server on SIGTERM, so /readyz answers 503 while it drains. */
  lifecycle?: Lifecycle;
  /** Prometheus metrics (METRICS_PORT or METRICS_TOKEN); unset: nothing is measured. */
  metrics?: Metrics;
  /** Which database node answers, and the outage log (db/node-monitor.ts); unset: each failure is logged. */
  nodeMonitor?: NodeMonitor;
}

/** Every repository and service, each built once, from the databases and the config; `assets` names static files. */
function buildServices({ config, db, readReplica, random, metrics, nodeMonitor, logger }: AppDeps, assets: Assets, lifecycle: Lifecycle) {
  const clearExpired = config.sweepExpired;
  // A listener's read that finds the database unavailable (a node killed, frozen or not Synced) is
  // run again on a fresh connection, which the load balancer sends to a node that answers.
  const retried = <T extends object>(repository: T): T =>
    retryingReads(repository, {
      withinMs: config.dbReadRetryMs,
      onRetry: (err) => {
        metrics?.readRetried();
        nodeMonitor?.report(err);
      },
    });
  // Listener reads that need not see their own writes go to the replica (see AppDeps.readReplica);
  // one the replica fails is tried again at once, on the primary.
  const onReads = <T extends object>(make: (on: Db) => T): T =>
    readReplica
      ? retryingReads(make(readReplica.reads), {
          withinMs: config.dbReadRetryMs,
          once: true,
          onRetry: (err) => {
            if (readReplica.readFailed(err)) return; // the replica's: the primary answers the next try
            metrics?.readRetried();
            nodeMonitor?.report(err);
          },
        })
      : retried(make(db));
  const catalog = onReads(createCatalogRepository);
  const directory = onReads(createGenreDirectory);
  const playlistRepository = onReads(createPlaylistRepository);
  const playlists = observeDraws(
    createPlaylistService({ repository: metrics ? timedStatements(playlistRepository, metrics) : playlistRepository, directory, random }),
    metrics,
  );
  const favoritesRepository = createFavoritesRepository(db);
  const users = createUsersRepository(db);
  const userPlaylistsRepository = createUserPlaylistsRepository(db, { maxSongs: MAX_PLAYLIST_SONGS });
  const userPlaylists = createUserPlaylistsService({ repository: userPlaylistsRepository, random });
  const appPasswordsRepository = createAppPasswordsRepository(db);
  const hiddenSongsRepository = createHiddenSongsRepository(db);
  const historyRepository = createHistoryRepository(db);
  const history = createHistoryService({ history: historyRepository });
  // Keyed by the web player's IP, or by a Subsonic app's listener (plays.service.ts). With plays
  // counted in memory, their limit is counted in memory too: a play then writes nothing at all
  // (each process allows PLAYS_PER_MINUTE per sender, so N processes at most N times that).
  const playsLimiter =
    config.playsFlushMs > 0
      ? new RateLimiterMemory({ keyPrefix: 'plays', points: PLAYS_PER_MINUTE, duration: 60 })
      : dialectOf(db).createRateLimiter(db, { keyPrefix: 'plays', points: PLAYS_PER_MINUTE, duration: 60, clearExpired });
  // Plays counted in memory and written in batches (plays/play-counter.ts); the last batch at shutdown.
  const counter =
    config.playsFlushMs > 0
      ? createPlayCounter(db, { flushEveryMs: config.playsFlushMs, logger, onFlush: metrics?.playsFlushed, onFlushFailed: metrics?.playFlushFailed })
      : undefined;
  if (counter) {
    lifecycle.beforeClose ??= [];
    lifecycle.beforeClose.push(() => counter.stop());
  }
  const plays = createPlaysService({ plays: createPlaysRepository(db, { counter, reads: retried(createPlayReads(db)) }), limiter: playsLimiter });
  metrics?.observe({
    pools: { write: db, ...(readReplica && { read: readReplica.replicaDb }) },
    ...(nodeMonitor && { nodes: { write: nodeMonitor.status } }),
    ...(readReplica && { replica: readReplica.status }),
    ...(counter && { playsBuffered: counter.buffered }),
  });
  const uploads = createUploadStore(config.uploadDir);
  const covers = createCoverStore(config.uploadDir);
  const ffmpeg = createFfmpeg(config.ffmpegPath);
  const demoAudio = createDemoAudio({ dir: config.demoAudioDir, ffmpeg });
  const audioSongs = createAudioRepository(db);
  const audio = createAudioService({ ffmpeg, uploads, covers, demo: demoAudio, songs: audioSongs });
  const imports = createImportRepository(db);
  const mailer = createMailer(config);
  // Subsonic apps: the catalog's reads may go to the replica; the listener's own state is written and read on db.
  const subsonicCatalog = onReads(createSubsonicRepository);
  const subsonicListener = createSubsonicListenerRepository(db);
  const accounts = createAccountsService(users);
  const favorites = createFavoritesService({ favorites: favoritesRepository, catalog, genres: directory, playlists });
  const subsonic = createSubsonicService({
    catalog,
    directory,
    playlists,
    subsonic: subsonicCatalog,
    listener: subsonicListener,
    favorites,
    history,
    plays,
    accounts,
    random,
  });
  return {
    catalog,
    playlists,
    // A listener's place in each radio is written on db, as it must be read back right away.
    radios: createRadiosService({ playlists, genres: directory, radios: createRadiosRepository(db) }),
    users,
    // The logged-in user is read on every request: retried like the listener's other reads.
    passport: createPassport({ ...users, ...retried({ findById: users.findById }) }),
    accounts,
    // Sealed with the first SESSION_SECRET, opened with any: see app-passwords/sealing.ts.
    appPasswords: createAppPasswordsService({ passwords: appPasswordsRepository, sealer: createSealer(config.sessionSecrets) }),
    // What each capability keeps of an account: exported (those with a key) and forgotten in this order.
    accountData: createAccountDataService({
      users,
      accountData: createAccountDataRepository(db),
      contributions: [
        favoritesAccountData(favoritesRepository),
        userPlaylistsAccountData(userPlaylistsRepository),
        historyAccountData(historyRepository),
        hiddenSongsAccountData(hiddenSongsRepository),
        radiosAccountData,
        appPasswordsAccountData(appPasswordsRepository),
        subsonicAccountData(subsonicListener),
        passwordResetsAccountData,
        emailVerificationsAccountData,
        sessionsAccountData,
        loginLimitsAccountData,
        resetLimitsAccountData,
      ],
    }),
    passwordResets: createPasswordResetsService({
      users,
      resets: createPasswordResetsRepository(db),
      mailer,
      siteUrl: config.publicUrl,
    }),
    verifications: createEmailVerificationsService({ verifications: createEmailVerificationsRepository(db), mailer, siteUrl: config.publicUrl }),
    resetLimiter: createResetLimiter(db, config.resetLimits, clearExpired),
    subsonic,
    subsonicListener: createSubsonicListenerService({ listener: subsonicListener, subsonic: subsonicCatalog, service: subsonic, history }),
    subsonicPresenter: createSubsonicPresenter({ subsonic: subsonicCatalog, listener: subsonicListener, favorites, directory }),
    limiter: createLoginLimiter(db, config.loginLimits, clearExpired),
    favorites,
    userPlaylists,
    embed: createEmbedService({ playlists, directory, userPlaylists, playlistSize: config.playlistSize }),
    // Each hide is also a signal for the curators (/admin/signals).
    hidden: createHiddenSongsService({ hidden: hiddenSongsRepository, onHidden: (songId, genreId) => plays.recordHide(songId, genreId) }),
    plays,
    previews: createPreviewsService({ catalog, genres: directory, covers }),
    history,
    uploads,
    covers,
    media: createMediaService({ uploadDir: config.uploadDir, demo: demoAudio }),
    trackList: createTrackListPresenter({ lovedAmong: favoritesRepository.lovedAmong, playlistMenu: userPlaylists.menu, asset: assets.url }),
    admin: {
      songs: createSongsAdminService({
        songs: createSongsAdminRepository(db),
        uploads,
        covers,
        audio,
        async importFile(file, format, run) {
          // Songs it adds whose audio is ours (/media/…) are measured like an upload.
          const lastBefore = await audioSongs.lastSongId();
          const report = await runImport(imports, rowsOf(fs.createReadStream(file), format), { run });
          if (report.newSongs > 0) await audio.analyzeAll({ afterId: lastBefore });
          return report;
        },
      }),
      catalog: createCatalogAdminService({ catalog: createCatalogAdminRepository(db) }),
      dashboard: createDashboardService({ dashboard: createDashboardRepository(db), favorites }),
      signals: createSignalsService({ signals: createSignalsRepository(db) }),
      audit: createAuditRepository(db),
    },
  };
}

/** Counts each batch drawn (metrics). */
function observeDraws<T extends { drawGenre: (...a: never[]) => Promise<unknown>; nextBatch: (...a: never[]) => Promise<unknown> }>(
  service: T,
  metrics?: Metrics,
): T {
  if (!metrics) return service;
  const counted =
    <A extends never[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      if (result) metrics.drawn();
      return result;
    };
  return { ...service, drawGenre: counted(service.drawGenre), nextBatch: counted(service.nextBatch) };
}

/** Times each statement a draw runs (metrics). */
function timedStatements<T extends { draw: (...a: never[]) => Promise<unknown>; songsAtRows: (...a: never[]) => Promise<unknown> }>(
  repository: T,
  metrics: Metrics,
): T {
  const timed =
    <A extends never[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        metrics.drawStatement((performance.now() - started) / 1000);
      }
    };
  return { ...repository, draw: timed(repository.draw), songsAtRows: timed(repository.songsAtRows) };
}

/**
 * One step of the request pipeline: its name (what a test asserts the order of), where it is
 * mounted (`path`, else everywhere), and its handlers, in order.
 */
export interface Layer {
  name: string;
  path?: string;
  handlers: (RequestHandler | ErrorRequestHandler | Router)[];
}

export function createApp(deps: AppDeps): Express {
  const { config, logger = createLogger('silent'), lifecycle = { shuttingDown: false } } = deps;
  const assets = createAssets(publicDir, { rehash: config.rehashAssets });
  const services = buildServices({ ...deps, logger }, assets, lifecycle);
  const app = express();
  // The error handler logs an unavailable database through it, once per outage.
  app.locals.nodeMonitor = deps.nodeMonitor;
  useEjsViews(app, assets);
  // Which proxies may tell us the client's address and scheme (X-Forwarded-*): TRUST_PROXY. Trusting
  // one that is not there would let any client choose its IP, and so dodge the per-IP limits.
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // No ETags made by hashing each page and JSON answer: nearly every one is new (a random draw, a
  // form's CSRF token), so the hash never matches and a 304 would still cost the whole render.
  // What does repeat sets its own: static files, audio, link-preview images.
  app.set('etag', false);

  const layers = appLayers({ ...deps, logger, lifecycle }, services, assets);
  for (const { path, handlers } of layers) {
    if (path) app.use(path, ...handlers);
    else app.use(...handlers);
  }
  /** The layers' names in the order requests pass them (test/http/layers.test.ts reads it). */
  app.locals.layers = layers.map((layer) => layer.name);
  return app;
}

/** The request pipeline, in the order every request passes it until a layer answers. */
function appLayers(deps: AppDeps & { logger: Logger; lifecycle: Lifecycle }, services: ReturnType<typeof buildServices>, assets: Assets): Layer[] {
  const { config, db, logger, lifecycle, metrics } = deps;
  const { playlistSize } = config;
  const publicUrl = publicUrlOf(config);
  const layer = (name: string, ...handlers: Layer['handlers']): Layer => ({ name, handlers });
  // The session and the listener it names; the playlist API reads them only for a browser that has one.
  const session = [createSessionMiddleware(db, config), absoluteSessionTimeout(config), services.passport.session()];
  const readSession = [...session, privateAnswers];

  return [
    layer('request log', requestLog(logger, { ignore: (url) => url.startsWith('/static/') })),
    ...(metrics ? [layer('request metrics', observeRequests(metrics))] : []),
    // /metrics on the site's port only for a request bearing METRICS_TOKEN (METRICS_PORT serves it apart).
    ...(metrics && config.metrics.token ? [layer('metrics', createMetricsRouter({ metrics, token: config.metrics.token }))] : []),
    layer('security headers', securityHeaders(config)),
    layer('compression', compressResponses()),

    // The playlist API, the busiest route, comes first: a browser without a session passes no
    // other router, nor the session (playlist.routes.ts reads it for a browser that has one).
    layer('playlist api', createPlaylistApiRouter({ playlists: services.playlists, radios: services.radios, playlistSize, readSession })),
    // A visitor's play report (the busiest write) needs no session either (plays.routes.ts).
    layer('visitor plays', createVisitorPlaysRouter({ plays: services.plays })),
    layer('health', createHealthRouter({ db, state: lifecycle, readReplica: deps.readReplica })),
    // The manifest, the service worker and the offline page: before the session, so they set no cookie.
    layer('app shell', createAppShellRouter()),
    // Static files and audio first: they need neither a body, a session nor a user.
    { name: 'static', path: '/static', handlers: assets.serve() },
    layer('media', createMediaRouter({ media: services.media, covers: services.covers })),
    // Link-preview images: unfurlers fetch them without a cookie, and every visitor gets the same bytes.
    layer('previews', createPreviewsRouter({ previews: services.previews })),
    // Subsonic apps: no cookie, session or CSRF token there; app passwords instead (subsonic/).
    layer(
      'subsonic',
      createSubsonicRouter({
        subsonic: services.subsonic,
        listener: services.subsonicListener,
        present: services.subsonicPresenter,
        appPasswords: services.appPasswords,
        limiter: services.limiter,
        playlists: services.userPlaylists,
        media: services.media,
        covers: services.covers,
        publicUrl,
      }),
    ),

    // What every page's templates use; the listener's own (who, where to come back to) after the session.
    layer('page locals', pageLocals),
    // Players other sites frame: no cookie, session or CSRF token there either.
    layer('embeds', createEmbedRouter({ embed: services.embed, config, publicUrl })),

    layer('body parsers', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }), express.json({ limit: '16kb' })),
    layer('session', ...session),
    layer('private answers', privateAnswers),
    // Multipart bodies (uploads) are parsed for admins only, and before the CSRF check reads them.
    {
      name: 'admin uploads',
      path: '/admin',
      handlers: [requireAdmin, parseUploads({ tempDir: services.uploads.incomingDir, maxBytes: config.uploadMaxBytes })],
    },
    layer('csrf', csrfProtection),
    layer('flash', flashMessages),
    layer('listener locals', listenerLocals),
    layer('embed discovery', embedDiscovery({ publicUrl })),

    // The busiest page first: a player page passes no other router's routes.
    layer(
      'player page',
      createPlayerPageRouter({ playlists: services.playlists, radios: services.radios, trackList: services.trackList, playlistSize, publicUrl }),
    ),
    layer(
      'accounts',
      createAccountsRouter({
        accounts: services.accounts,
        verifications: services.verifications,
        passport: services.passport,
        limiter: services.limiter,
        mailLimiter: services.resetLimiter,
        config,
      }),
    ),
    layer(
      'account page',
      createAccountPageRouter({
        accounts: services.accounts,
        accountData: services.accountData,
        appPasswords: services.appPasswords,
        verifications: services.verifications,
        limiter: services.limiter,
        mailLimiter: services.resetLimiter,
        publicUrl,
      }),
    ),
    layer('password resets', createPasswordResetsRouter({ resets: services.passwordResets, limiter: services.resetLimiter })),
    layer('email verifications', createEmailVerificationsRouter({ verifications: services.verifications })),
    layer('admin', createAdminRouter(services.admin)),
    layer('user playlists', createUserPlaylistsRouter({ playlists: services.userPlaylists, trackList: services.trackList, publicUrl })),
    layer(
      'catalog',
      createCatalogRouter({
        catalog: services.catalog,
        publicUrl,
        returning: async (userId) => {
          const [radios, playlists] = await Promise.all([services.radios.recent(userId), services.userPlaylists.menu(userId)]);
          return { radios, playlists };
        },
      }),
    ),
    layer('favorites', createFavoritesRouter({ favorites: services.favorites, trackList: services.trackList, playlistSize, publicUrl })),
    layer('hidden songs', createHiddenSongsRouter({ hidden: services.hidden })),
    layer('plays', createPlaysRouter({ plays: services.plays })),
    layer('history', createHistoryRouter({ history: services.history, trackList: services.trackList })),

    layer('not found', notFoundHandler),
    layer('errors', errorHandler),
  ];
}

/** What every page's templates may call, whoever asks: set before the first page that renders. */
const pageLocals: RequestHandler = (req, res, next) => {
  res.locals.scriptJson = scriptJson;
  res.locals.harmReduction = harmReductionFor;
  res.locals.path = req.path;
  next();
};

/** Who is listening, and where "Log in" and "Sign up" bring a visitor back to: this page, unless it is one of theirs. */
const listenerLocals: RequestHandler = (req, res, next) => {
  res.locals.user = req.user;
  res.locals.loginNext = /^\/(?:login|register|logout|forgot|reset)\b/.test(req.path) ? undefined : req.originalUrl;
  next();
};

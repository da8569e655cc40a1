// createApp(deps): the whole web application without listen(), so tests drive it with supertest.
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { createAdminRouter } from './admin/admin.router.js';
import { createUploadsMediaRouter, parseUploads } from './admin/songs/uploads.js';
import { createAccountsRouter } from './accounts/accounts.routes.js';
import { createLoginLimiter } from './accounts/login-limiter.js';
import { createPassport } from './accounts/passport.js';
import { absoluteSessionTimeout, createSessionMiddleware } from './accounts/session.js';
import { createUsersRepository } from './accounts/users.repository.js';
import type { Config } from './config.js';
import { createCatalogRepository } from './catalog/catalog.repository.js';
import { createCatalogRouter } from './catalog/catalog.routes.js';
import { createGenreDirectory } from './catalog/genre-directory.js';
import { harmReductionFor } from './catalog/harm-reduction.js';
import type { Db } from './db/knex.js';
import { createHealthRouter } from './health/health.routes.js';
import { requestId } from './health/request-id.js';
import { csrfProtection } from './http/csrf.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { flashMessages } from './http/flash.js';
import { requireAdmin } from './http/guards.js';
import { createLogger, type Logger } from './logger.js';
import { createFavoritesRepository } from './favorites/favorites.repository.js';
import { createFavoritesRouter } from './favorites/favorites.routes.js';
import { createMediaRouter } from './media/media.routes.js';
import { publicDir } from './paths.js';
import { useEjsViews } from './http/views.js';
import { scriptJson } from './http/script-json.js';
import { createPlaylistRepository } from './playlists/playlist.repository.js';
import { createPlayerPageRouter, createPlaylistApiRouter } from './playlists/playlist.routes.js';
import { createPlaylistService } from './playlists/playlist.service.js';
import { createPlaysRouter } from './plays/plays.routes.js';
import { createUserPlaylistsRouter } from './user-playlists/user-playlists.routes.js';

export interface AppDeps {
  config: Readonly<Config>;
  db: Db;
  /**
   * A replica for the listener's read-only pages (catalog and playlist draws); default: db.
   * Everything that writes, or must read its own writes (sessions, accounts, favorites and their
   * hearts, admin, plays, user playlists), stays on db.
   */
  readDb?: Db;
  logger?: Logger;
  /** Injectable randomness for the playlist walks (tests pass a seeded generator). */
  random?: () => number;
  /** Set by the server on SIGTERM, so /readyz answers 503 while it drains. */
  lifecycle?: { shuttingDown: boolean };
}

export function createApp({ config, db, readDb = db, logger = createLogger('silent'), random, lifecycle = { shuttingDown: false } }: AppDeps): Express {
  const app = express();
  useEjsViews(app);
  app.set('trust proxy', config.env === 'production' ? 1 : false);
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: requestId, // also echoed as the X-Request-Id response header
      // The serializers below read the raw request and response: no full copy of every header first.
      wrapSerializers: false,
      autoLogging: { ignore: (req) => req.url?.startsWith('/static/') ?? false },
      // One short line per request: headers (cookies included) stay out of the logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Admins may add songs hosted elsewhere; the player streams them directly.
          mediaSrc: ["'self'", 'https:', 'http:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: config.env === 'production' ? [] : null,
        },
      },
    }),
  );
  app.use(createHealthRouter({ db, state: lifecycle }));
  // Static files and audio first: they need neither a body, a session nor a user.
  app.use('/static', express.static(publicDir, { maxAge: config.env === 'production' ? '1d' : 0 }));
  app.use(createMediaRouter());
  app.use(createUploadsMediaRouter(config.uploadDir));
  // The playlist API answers every listener alike: it needs no body, session or user either.
  const playlists = createPlaylistService({ repository: createPlaylistRepository(readDb), directory: createGenreDirectory(readDb), random });
  app.use(createPlaylistApiRouter({ playlists, playlistSize: config.playlistSize }));

  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
  app.use(express.json({ limit: '16kb' }));
  const users = createUsersRepository(db);
  const passport = createPassport(users);
  app.use(createSessionMiddleware(db, config));
  app.use(absoluteSessionTimeout(config));
  app.use(passport.session());
  // Multipart bodies (uploads) are parsed for admins only, and before the CSRF check reads them.
  app.use('/admin', requireAdmin, parseUploads(config));
  app.use(csrfProtection);
  app.use(flashMessages);
  app.use((req, res, next) => {
    res.locals.user = req.user;
    res.locals.scriptJson = scriptJson;
    res.locals.harmReduction = harmReductionFor;
    res.locals.path = req.path;
    res.locals.returnTo = req.method === 'GET' ? req.originalUrl : '/';
    next();
  });

  const catalog = createCatalogRepository(readDb);
  const limiter = createLoginLimiter(db, config.loginLimits, config.env !== 'test');

  app.use(createAccountsRouter({ users, passport, limiter }));
  app.use(createAdminRouter({ db, config }));
  app.use(createUserPlaylistsRouter({ db, random }));
  app.use(createCatalogRouter({ catalog }));
  const favorites = createFavoritesRepository(db);
  app.use(createPlayerPageRouter({ playlists, favorites, playlistSize: config.playlistSize }));
  app.use(createFavoritesRouter({ favorites, catalog, playlists, playlistSize: config.playlistSize }));
  app.use(createPlaysRouter({ db, config }));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

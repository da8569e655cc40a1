// The installable app's shell: the web app manifest, the service worker and the page it shows
// offline. Mounted before the session, as none of them is about a user: /offline is cached by the
// service worker and shown to anyone, so it must not depend on (or set) a cookie, nor need the database.
import path from 'node:path';
import { Router } from 'express';
import { NotFound } from '../lib/errors.js';
import { publicDir } from '../paths.js';
import { webAppManifest } from './web-app-manifest.js';

// Built from client/sw.ts by scripts/build-client.mjs.
const serviceWorkerFile = path.join(publicDir, 'js', 'sw.js');

export function createAppShellRouter(): Router {
  const router = Router();

  router.get('/manifest.webmanifest', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/manifest+json').json(webAppManifest);
  });

  // At the root, so its scope is the whole site; no-cache, so the browser sees each deploy's new one.
  router.get('/sw.js', (_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(serviceWorkerFile, { cacheControl: false }, (err) => {
      if (err) next((err as { status?: number }).status === 404 ? new NotFound('The service worker is not built (npm run build:client).') : err);
    });
  });

  router.get('/offline', (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.render('offline', { title: 'Offline' });
  });

  return router;
}

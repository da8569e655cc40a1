// The admin area: every /admin route is for admins only (anonymous → login, others → 403).
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { requireAdmin } from '../http/guards.js';
import { createCatalogAdminRouter } from './catalog/catalog-admin.routes.js';
import { createDashboardRouter } from './dashboard/dashboard.routes.js';
import { createSongsAdminRouter } from './songs/songs-admin.routes.js';

export function createAdminRouter({ db, config }: { db: Knex; config: Readonly<Config> }): Router {
  const router = Router();
  router.use('/admin', requireAdmin);
  router.use(createSongsAdminRouter({ db, config }));
  router.use(createCatalogAdminRouter({ db }));
  router.use(createDashboardRouter({ db }));
  return router;
}

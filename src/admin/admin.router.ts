// The admin area: every /admin route is for admins only (anonymous → login, others → 403).
import { Router } from 'express';
import type { AuditRepository } from '../audit/audit.repository.js';
import { createAuditRouter } from '../audit/audit.routes.js';
import { requireAdmin } from '../http/guards.js';
import type { CatalogAdminService } from './catalog/catalog-admin.service.js';
import { createCatalogAdminRouter } from './catalog/catalog-admin.routes.js';
import { createDashboardRouter } from './dashboard/dashboard.routes.js';
import type { DashboardService } from './dashboard/dashboard.service.js';
import { createSignalsRouter } from './signals/signals.routes.js';
import type { SignalsService } from './signals/signals.service.js';
import { createSongsAdminRouter } from './songs/songs-admin.routes.js';
import type { SongsAdminService } from './songs/songs-admin.service.js';

export interface AdminDeps {
  songs: SongsAdminService;
  catalog: CatalogAdminService;
  dashboard: DashboardService;
  signals: SignalsService;
  audit: AuditRepository;
}

export function createAdminRouter({ songs, catalog, dashboard, signals, audit }: AdminDeps): Router {
  const router = Router();
  router.use('/admin', requireAdmin);
  router.use(createSongsAdminRouter({ songs }));
  router.use(createCatalogAdminRouter({ catalog }));
  router.use(createDashboardRouter({ dashboard }));
  router.use(createSignalsRouter({ signals }));
  router.use(createAuditRouter({ audit }));
  return router;
}

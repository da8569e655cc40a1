// The admin dashboard at /admin (the guard is in admin.router.ts).
import { Router } from 'express';
import { genreName } from '../../catalog/genre.js';
import { columns, horizontalBars } from './dashboard.charts.js';
import type { DashboardService } from './dashboard.service.js';

const DAYS = 30;

export function createDashboardRouter({ dashboard }: { dashboard: DashboardService }): Router {
  const router = Router();

  router.get('/admin', async (_req, res) => {
    const overview = await dashboard.overview(new Date(), DAYS);
    res.render('admin/dashboard', {
      title: 'Dashboard',
      days: DAYS,
      ...overview,
      genreChart: horizontalBars(
        overview.genres.map((g) => ({ label: `${genreName(g)}${g.hidden ? ' (hidden)' : ''}`, value: g.mood.songCount, color: g.drug.color, faded: g.hidden })),
      ),
      startedChart: columns(overview.series.map((d) => ({ day: d.day, value: d.playlistsStarted }))),
      playedChart: columns(overview.series.map((d) => ({ day: d.day, value: d.songsPlayed }))),
    });
  });

  return router;
}

// The admin dashboard at /admin (the guard is in admin.router.ts): the catalog's shape, listening
// over the last 30 days, and what listeners play, love and what was added lately.
import { Router } from 'express';
import type { Knex } from 'knex';
import { createFavoritesRepository } from '../../favorites/favorites.repository.js';
import { columns, horizontalBars, lastDays } from './dashboard.charts.js';
import { createDashboardRepository } from './dashboard.repository.js';

const DAYS = 30;
const LIST_SIZE = 10;

export function createDashboardRouter({ db }: { db: Knex }): Router {
  const dashboard = createDashboardRepository(db);
  const favorites = createFavoritesRepository(db);
  const router = Router();

  router.get('/admin', async (_req, res) => {
    const days = lastDays(new Date(), DAYS);
    const from = days[0]!;
    const [genres, totalSongs, daily, topPlayed, topGenres, mostFavorited, recent] = await Promise.all([
      dashboard.songsPerGenre(),
      dashboard.totalSongs(),
      dashboard.daily(from),
      dashboard.topPlayed(from, LIST_SIZE),
      dashboard.topGenres(from, LIST_SIZE),
      favorites.mostFavorited(LIST_SIZE),
      dashboard.recentSongs(LIST_SIZE),
    ]);
    const byDay = new Map(daily.map((d) => [d.day, d]));
    const series = days.map((day) => ({ day, playlistsStarted: 0, songsPlayed: 0, ...byDay.get(day) }));

    res.render('admin/dashboard', {
      title: 'Dashboard',
      days: DAYS,
      genres,
      totalSongs,
      genreChart: horizontalBars(
        genres.map((g) => ({ label: `${g.drug} · ${g.mood}${g.hidden ? ' (hidden)' : ''}`, value: g.songCount, color: g.color, faded: g.hidden })),
      ),
      series,
      startedChart: columns(series.map((d) => ({ day: d.day, value: d.playlistsStarted }))),
      playedChart: columns(series.map((d) => ({ day: d.day, value: d.songsPlayed }))),
      topPlayed,
      topGenres,
      mostFavorited,
      recent,
    });
  });

  return router;
}

// The dashboard's figures: the catalog's shape, listening per day over the last days (days without
// plays count as zero), and what listeners play, love and what was added lately.
import type { FavoritesService } from '../../favorites/favorites.service.js';
import { lastDays } from './dashboard.charts.js';
import type { DashboardRepository } from './dashboard.repository.js';

const LIST_SIZE = 10;

export function createDashboardService({ dashboard, favorites }: { dashboard: DashboardRepository; favorites: Pick<FavoritesService, 'mostFavoritedSongs'> }) {
  return {
    async overview(now: Date, dayCount: number) {
      const days = lastDays(now, dayCount);
      const from = days[0]!;
      const [genres, totalSongs, daily, topPlayed, topGenres, mostFavorited, recent] = await Promise.all([
        dashboard.songsPerGenre(),
        dashboard.totalSongs(),
        dashboard.daily(from),
        dashboard.topPlayed(from, LIST_SIZE),
        dashboard.topGenres(from, LIST_SIZE),
        favorites.mostFavoritedSongs(LIST_SIZE),
        dashboard.recentSongs(LIST_SIZE),
      ]);
      const byDay = new Map(daily.map((d) => [d.day, d]));
      const series = days.map((day) => ({ day, playlistsStarted: 0, songsPlayed: 0, ...byDay.get(day) }));
      return { genres, totalSongs, series, topPlayed, topGenres, mostFavorited, recent };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;

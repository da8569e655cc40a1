// What listeners tell the curators, per genre over a period: the songs most often skipped in their
// first 30 seconds or hidden ("probably in the wrong mood"), and those failing to load ("broken link?").
import { lastDays } from '../dashboard/dashboard.charts.js';
import type { SignalsRepository } from './signals.repository.js';

/** Songs per list per genre. */
const PER_GENRE = 10;

export function createSignalsService({ signals }: { signals: SignalsRepository }) {
  return {
    /** The genres with any signal in the `days` UTC days ending with now's, in picker order, each with its two lists. */
    async overview(now: Date, days: number) {
      const period = lastDays(now, days);
      const from = period[0]!;
      const range = { from, to: period.at(-1)! };
      const [wrongMood, broken] = await Promise.all([signals.ranked('wrongMood', range, PER_GENRE), signals.ranked('broken', range, PER_GENRE)]);
      const genres = await signals.genres([...new Set([...wrongMood, ...broken].map((s) => s.genreId))]);
      return {
        from,
        genres: genres.map((genre) => ({
          ...genre,
          wrongMood: wrongMood.filter((s) => s.genreId === genre.mood.id),
          broken: broken.filter((s) => s.genreId === genre.mood.id),
        })),
      };
    },
  };
}

export type SignalsService = ReturnType<typeof createSignalsService>;

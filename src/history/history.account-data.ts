// The listener's last plays, newest first, in their export; deleted with the account.
import { type AccountDataContribution, exportedSong } from '../account-data.js';
import { genreName } from '../catalog/genre.js';
import { forgetHistory, type HistoryRepository } from './history.repository.js';

export const historyAccountData = (history: Pick<HistoryRepository, 'recent'>): AccountDataContribution => ({
  exportKey: 'history',
  exportFor: async (userId) =>
    (await history.recent(userId)).map((h) => ({
      ...exportedSong(h.song),
      playedAt: h.playedAt,
      genre: h.genre ? genreName(h.genre) : null,
    })),
  forget: (trx, account) => forgetHistory(trx, account.id),
});

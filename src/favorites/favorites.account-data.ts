// The listener's hearts in their export, and taken off every count when the account goes.
import { type AccountDataContribution, exportedSong } from '../account-data.js';
import { type FavoritesRepository, forgetFavorites } from './favorites.repository.js';

export const favoritesAccountData = (favorites: Pick<FavoritesRepository, 'exportOf'>): AccountDataContribution => ({
  exportKey: 'favorites',
  exportFor: async (userId) => (await favorites.exportOf(userId)).map((f) => ({ ...exportedSong(f.song), favoritedAt: f.favoritedAt.toISOString() })),
  forget: (trx, account) => forgetFavorites(trx, account.id),
});

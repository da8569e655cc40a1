// The listener's own playlists, songs in order, in their export; deleted with the account.
import { type AccountDataContribution, exportedSong } from '../account-data.js';
import { forgetPlaylists, type UserPlaylistsRepository } from './user-playlists.repository.js';

export const userPlaylistsAccountData = (playlists: Pick<UserPlaylistsRepository, 'listByUser' | 'songs'>): AccountDataContribution => ({
  exportKey: 'playlists',
  exportFor: async (userId) =>
    Promise.all(
      (await playlists.listByUser(userId)).map(async (p) => ({
        name: p.name,
        public: p.isPublic,
        songs: (await playlists.songs(p.id)).map((s) => ({ position: s.position, ...exportedSong(s) })),
      })),
    ),
  forget: (trx, account) => forgetPlaylists(trx, account.id),
});

// The songs the listener hid, with their genre, in their export; deleted with the account (the
// curators' anonymous counts stay).
import { type AccountDataContribution, exportedSong } from '../account-data.js';
import { genreName } from '../catalog/genre.js';
import { forgetHiddenSongs, type HiddenSongsRepository } from './hidden-songs.repository.js';

export const hiddenSongsAccountData = (hidden: Pick<HiddenSongsRepository, 'list'>): AccountDataContribution => ({
  exportKey: 'hiddenSongs',
  exportFor: async (userId) =>
    (await hidden.list(userId)).map((h) => ({
      ...exportedSong(h.song),
      genre: genreName(h.genre),
      hiddenAt: h.hiddenAt.toISOString(),
    })),
  forget: (trx, account) => forgetHiddenSongs(trx, account.id),
});

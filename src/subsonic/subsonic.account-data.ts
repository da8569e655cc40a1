// What Subsonic apps keep for the listener (ratings, album and artist stars, bookmarks, the play
// queue, now playing): in their export as `apps`, deleted with the account.
import type { AccountDataContribution } from '../account-data.js';
import { forgetSubsonicState, type SubsonicListenerRepository } from './subsonic-listener.repository.js';

export const subsonicAccountData = (listener: Pick<SubsonicListenerRepository, 'exportOf'>): AccountDataContribution => ({
  exportKey: 'apps',
  exportFor: (userId) => listener.exportOf(userId),
  forget: (trx, account) => forgetSubsonicState(trx, account.id),
});

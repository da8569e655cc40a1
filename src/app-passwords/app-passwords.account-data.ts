// The listener's app passwords, by name and dates only, in their export; deleted with the account.
import type { AccountDataContribution } from '../account-data.js';
import { type AppPasswordsRepository, forgetAppPasswords } from './app-passwords.repository.js';

export const appPasswordsAccountData = (appPasswords: Pick<AppPasswordsRepository, 'listByUser'>): AccountDataContribution => ({
  exportKey: 'appPasswords',
  // Names and dates only: the passwords themselves never leave the server again.
  exportFor: async (userId) =>
    (await appPasswords.listByUser(userId)).map((p) => ({
      name: p.name,
      createdAt: p.createdAt.toISOString(),
      lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
    })),
  forget: (trx, account) => forgetAppPasswords(trx, account.id),
});

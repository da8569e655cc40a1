// Leaving with your data, and leaving: the account's export (its profile, then each capability's
// part, as JSON) and its deletion, which asks for the password first. What each capability keeps
// of the account is its own contribution (src/account-data.ts), listed in app.ts.
import type { AccountDataContribution } from '../account-data.js';
import { NotFound, ValidationFailed } from '../lib/errors.js';
import type { AccountDataRepository } from './account-data.repository.js';
import { verifyPassword } from './passwords.js';
import type { UsersRepository } from './users.repository.js';

export interface AccountDataDeps {
  users: UsersRepository;
  accountData: AccountDataRepository;
  /** Every capability's part of an account, exported and forgotten in this order. */
  contributions: readonly AccountDataContribution[];
}

export function createAccountDataService({ users, accountData, contributions }: AccountDataDeps) {
  return {
    /** Everything the account holds, in one JSON-ready object. */
    async exportOf(userId: number, now = new Date()) {
      const profile = await users.profile(userId);
      if (!profile) throw new NotFound('There is no such account.');
      const data: Record<string, unknown> = {
        exportedAt: now.toISOString(),
        profile: { username: profile.username, email: profile.email, createdAt: profile.createdAt.toISOString() },
      };
      for (const part of contributions) if (part.exportKey !== undefined) data[part.exportKey] = await part.exportFor(userId);
      return data;
    },

    /** Deletes the account once the password proves it is its owner asking. */
    async deleteAccount(userId: number, password: string): Promise<void> {
      if (!(await verifyPassword((await users.passwordHash(userId)) ?? '', password))) {
        throw new ValidationFailed({ password: 'is wrong' });
      }
      await accountData.deleteAccount(userId, contributions);
    },
  };
}

export type AccountDataService = ReturnType<typeof createAccountDataService>;

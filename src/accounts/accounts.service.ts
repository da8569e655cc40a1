// Accounts: plain data in and out. Registration, a password change, and the user a session names.
import { Conflict, ValidationFailed } from '../http/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { User, UsersRepository } from './users.repository.js';

export interface NewAccount {
  username: string;
  email?: string;
  password: string;
}

export function createAccountsService(users: UsersRepository) {
  return {
    /** The new user; Conflict on `username` when the (normalized) name is taken. */
    async register(account: NewAccount): Promise<User> {
      const id = await users.insert({ username: account.username, email: account.email, passwordHash: await hashPassword(account.password) });
      if (id === undefined) throw new Conflict('That username is already taken.', { username: 'is already taken' });
      return (await users.findById(id))!;
    },

    /** Sets a new password after checking the current one; returns the new session epoch. */
    async changePassword(user: User, currentPassword: string, newPassword: string): Promise<number> {
      if (!(await verifyPassword((await users.passwordHash(user.id)) ?? '', currentPassword))) {
        throw new ValidationFailed({ currentPassword: 'is not your current password' });
      }
      return users.changePassword(user.id, await hashPassword(newPassword));
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

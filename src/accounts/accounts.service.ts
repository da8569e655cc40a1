// Accounts: plain data in and out. Registration, a password change, and the checks that ask a
// logged-in listener for their password again.
import { Conflict, ValidationFailed } from '../lib/errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { User, UsersRepository } from './users.repository.js';

export interface NewAccount {
  username: string;
  email?: string;
  password: string;
}

/** How long after a login (or a password typed again) making an app password needs no password. */
export const RECENT_PROOF_MINUTES = 5;

/** Whether a password proven at `provenAt` (ms) still vouches for the listener at `now`. */
export const provenRecently = (provenAt: number | undefined, now = Date.now()) => provenAt !== undefined && now - provenAt <= RECENT_PROOF_MINUTES * 60_000;

export function createAccountsService(users: UsersRepository) {
  /** ValidationFailed on `field` unless `password` is the account's. */
  async function confirmPassword(userId: number, password: string, field: string, message = 'is wrong'): Promise<void> {
    if (!(await verifyPassword((await users.passwordHash(userId)) ?? '', password))) throw new ValidationFailed({ [field]: message });
  }

  return {
    /** The new user; Conflict on `username` when the (normalized) name is taken. */
    async register(account: NewAccount): Promise<User> {
      const id = await users.insert({ username: account.username, email: account.email, passwordHash: await hashPassword(account.password) });
      if (id === undefined) throw new Conflict('That username is already taken.', { username: 'is already taken' });
      return (await users.findById(id))!;
    },

    /**
     * Sets a new password after checking the current one; every other session ends and every app
     * password is revoked. Returns the new session epoch.
     */
    async changePassword(user: User, currentPassword: string, newPassword: string): Promise<number> {
      await confirmPassword(user.id, currentPassword, 'currentPassword', 'is not your current password');
      return users.changePassword(user.id, await hashPassword(newPassword));
    },

    confirmPassword,

    /** The account with this id, if it still exists. */
    user: (id: number): Promise<User | undefined> => users.findById(id),

    /**
     * Before a sensitive change (a new app password): the listener proved their password within
     * RECENT_PROOF_MINUTES, or types it now (the form's `field`). ValidationFailed on it otherwise.
     */
    async reauthenticate(userId: number, password: string | undefined, provenAt: number | undefined, field: string): Promise<void> {
      if (provenRecently(provenAt)) return;
      if (!password) throw new ValidationFailed({ [field]: `is required: you logged in more than ${RECENT_PROOF_MINUTES} minutes ago` });
      await confirmPassword(userId, password, field);
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;

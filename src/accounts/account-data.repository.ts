// Deleting an account: one transaction removes every row that names the user, each capability's
// through that capability's own function (favorites also take each heart off its song's counts).
// Every table with a user_id is named here rather than left to ON DELETE CASCADE, so what must be
// adjusted is adjusted and nothing depends on which foreign keys cascade.
import type { Knex } from 'knex';
import { forgetAppPasswords } from '../app-passwords/app-passwords.repository.js';
import { writeTransaction } from '../db/transaction.js';
import { forgetEmailVerifications } from '../email-verifications/email-verifications.repository.js';
import { forgetFavorites } from '../favorites/favorites.repository.js';
import { forgetHiddenSongs } from '../hidden-songs/hidden-songs.repository.js';
import { forgetHistory } from '../history/history.repository.js';
import { forgetPasswordResets } from '../password-resets/password-resets.repository.js';
import { forgetResetLimitsOf } from '../password-resets/reset-limiter.js';
import { forgetRadios } from '../radios/radios.repository.js';
import { forgetSubsonicState } from '../subsonic/subsonic-listener.repository.js';
import { forgetPlaylists } from '../user-playlists/user-playlists.repository.js';
import { forgetLoginLimitsOf } from './login-limiter.js';
import { deleteSessionsOf } from './session-store.js';
import { deleteUser, lockUser } from './users.repository.js';

export function createAccountDataRepository(db: Knex) {
  return {
    /** Deletes the user and everything theirs; false when they were already gone. */
    deleteAccount: (userId: number) =>
      writeTransaction(db, async (trx) => {
        // Locked first: a play on its way into this history waits, then finds no one (history.repository.ts).
        const user = await lockUser(trx, userId);
        if (!user) return false;
        await forgetFavorites(trx, userId);
        await forgetPlaylists(trx, userId);
        await forgetHistory(trx, userId);
        await forgetHiddenSongs(trx, userId);
        await forgetRadios(trx, userId);
        await forgetSubsonicState(trx, userId);
        await forgetAppPasswords(trx, userId);
        await forgetPasswordResets(trx, userId);
        await forgetEmailVerifications(trx, userId);
        await deleteSessionsOf(trx, userId);
        await forgetLoginLimitsOf(trx, user.normalizedUsername);
        await forgetResetLimitsOf(trx, user);
        await deleteUser(trx, userId);
        return true;
      }),
  };
}

export type AccountDataRepository = ReturnType<typeof createAccountDataRepository>;

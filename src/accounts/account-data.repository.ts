// Deleting an account: one transaction locks the user's row, lets every capability forget what it
// keeps of them (its contribution, src/account-data.ts: favorites also take each heart off its
// song's counts), then deletes the row. Every table with a user_id is named by some contribution
// rather than left to ON DELETE CASCADE, so what must be adjusted is adjusted and nothing depends on
// which foreign keys cascade (test/accounts/account-deletion.test.ts checks every such table).
import type { Knex } from 'knex';
import type { AccountDataContribution } from '../account-data.js';
import { writeTransaction } from '../db/transaction.js';
import { deleteUser, lockUser } from './users.repository.js';

export function createAccountDataRepository(db: Knex) {
  return {
    /** Deletes the user and everything theirs; false when they were already gone. */
    deleteAccount: (userId: number, contributions: readonly AccountDataContribution[]) =>
      writeTransaction(db, async (trx) => {
        // Locked first: a play on its way into this history waits, then finds no one (history.repository.ts).
        const user = await lockUser(trx, userId);
        if (!user) return false;
        for (const part of contributions) await part.forget(trx, { id: userId, ...user });
        await deleteUser(trx, userId);
        return true;
      }),
  };
}

export type AccountDataRepository = ReturnType<typeof createAccountDataRepository>;

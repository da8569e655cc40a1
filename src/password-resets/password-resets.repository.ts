// password_resets: one row per reset link, holding only the SHA-256 of its token (see the migration).
import type { Knex } from 'knex';
import { deleteSessionsOf } from '../accounts/session-store.js';
import { setPasswordHash } from '../accounts/users.repository.js';
import { dialectOf } from '../db/dialect.js';
import { readTimestamp } from '../db/timestamps.js';
import { writeTransaction } from '../db/transaction.js';

export interface ResetLink {
  userId: number;
  username: string;
  expiresAt: Date;
  usedAt: Date | null;
}

type Row = Record<string, unknown>;
const toLink = (r: Row): ResetLink => ({
  userId: Number(r.user_id),
  username: String(r.username),
  expiresAt: readTimestamp(r.expires_at),
  usedAt: r.used_at == null ? null : readTimestamp(r.used_at),
});

/** Deletes the user's reset links, in the caller's transaction (the account is being deleted). */
export async function forgetPasswordResets(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('password_resets').where('user_id', userId).del();
}

export function createPasswordResetsRepository(db: Knex) {
  const linkRow = (q: Knex | Knex.Transaction, tokenHash: string) =>
    q('password_resets as r')
      .join('users as u', 'u.id', 'r.user_id')
      .where('r.token_hash', tokenHash)
      .select('r.id', 'r.user_id', 'u.username', 'r.expires_at', 'r.used_at');

  return {
    /** Stores a new link; the user's links that have expired are deleted meanwhile, so the table stays small. */
    async insert(userId: number, tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void> {
      await db('password_resets').where('user_id', userId).andWhere('expires_at', '<=', createdAt).del();
      await db('password_resets').insert({ user_id: userId, token_hash: tokenHash, created_at: createdAt, expires_at: expiresAt });
    },

    async find(tokenHash: string): Promise<ResetLink | undefined> {
      const [row] = await linkRow(db, tokenHash);
      return row ? toLink(row) : undefined;
    },

    /**
     * Uses the link if `usable` says so of it as it stands under lock: marks it used, sets the new
     * password and ends every session of its user, all in one transaction. The user's other links
     * are deleted with it, so a link mailed earlier cannot undo the new password. Resolves to the link
     * as it was found (undefined: gone, e.g. another of the user's links was used meanwhile).
     */
    use: (tokenHash: string, passwordHash: string, now: Date, usable: (link: ResetLink) => boolean) =>
      writeTransaction(db, async (trx): Promise<ResetLink | undefined> => {
        const [row] = await dialectOf(trx).lockingRead(linkRow(trx, tokenHash));
        const link = row && toLink(row);
        if (!link || !usable(link)) return link;
        await trx('password_resets').where('id', row.id).update({ used_at: now });
        await trx('password_resets').where('user_id', link.userId).whereNot('id', row.id).del();
        // The epoch bump also logs out a session that an in-flight request writes back after this.
        await setPasswordHash(trx, link.userId, passwordHash);
        await deleteSessionsOf(trx, link.userId);
        return link;
      }),
  };
}

export type PasswordResetsRepository = ReturnType<typeof createPasswordResetsRepository>;

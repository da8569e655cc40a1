// email_verifications: one row per confirmation link, holding only the SHA-256 of its token and the
// address it confirms; users.email_verified_at says when the account's current address was confirmed.
import type { Knex } from 'knex';
import { dialectOf } from '../db/dialect.js';
import { readTimestamp } from '../db/timestamps.js';
import { writeTransaction } from '../db/transaction.js';
import { forgetPasswordResets } from '../password-resets/password-resets.repository.js';

export interface VerificationLink {
  userId: number;
  username: string;
  /** The address the link was mailed to, and confirms. */
  email: string;
  /** The account's address now: a link for another one confirms nothing. */
  currentEmail: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

type Row = Record<string, unknown>;
const toLink = (r: Row): VerificationLink => ({
  userId: Number(r.user_id),
  username: String(r.username),
  email: String(r.email),
  currentEmail: r.current_email == null ? null : String(r.current_email),
  expiresAt: readTimestamp(r.expires_at),
  usedAt: r.used_at == null ? null : readTimestamp(r.used_at),
});

/** Deletes the user's confirmation links, in the caller's transaction (the account is being deleted). */
export async function forgetEmailVerifications(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('email_verifications').where('user_id', userId).del();
}

export function createEmailVerificationsRepository(db: Knex) {
  const linkRow = (q: Knex | Knex.Transaction, tokenHash: string) =>
    q('email_verifications as v')
      .join('users as u', 'u.id', 'v.user_id')
      .where('v.token_hash', tokenHash)
      .select('v.id', 'v.user_id', 'u.username', 'v.email', 'u.email as current_email', 'v.expires_at', 'v.used_at');

  return {
    /** The account's address and whether it is confirmed; undefined when the account is gone. */
    async addressOf(userId: number): Promise<{ email: string | null; verified: boolean } | undefined> {
      const row = await db('users').where('id', userId).first('email', 'email_verified_at');
      return row && { email: row.email ?? null, verified: row.email != null && row.email_verified_at != null };
    },

    /**
     * Gives the account a new address (or none), unconfirmed. Its confirmation links and its reset
     * links (mailed to the old address) stop working, in the same transaction.
     */
    changeAddress: (userId: number, email: string | null) =>
      writeTransaction(db, async (trx) => {
        await trx('users').where('id', userId).update({ email, email_verified_at: null, updated_at: trx.fn.now() });
        await forgetEmailVerifications(trx, userId);
        await forgetPasswordResets(trx, userId);
      }),

    /** Stores a new link; the user's links that have expired are deleted meanwhile, so the table stays small. */
    async insert(userId: number, email: string, tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void> {
      await db('email_verifications').where('user_id', userId).andWhere('expires_at', '<=', createdAt).del();
      await db('email_verifications').insert({ user_id: userId, email, token_hash: tokenHash, created_at: createdAt, expires_at: expiresAt });
    },

    async find(tokenHash: string): Promise<VerificationLink | undefined> {
      const [row] = await linkRow(db, tokenHash);
      return row ? toLink(row) : undefined;
    },

    /**
     * Uses the link if `usable` says so of it as it stands under lock: marks it used, confirms the
     * address it names and deletes the account's other links, in one transaction. Resolves to the
     * link as it was found (undefined: gone meanwhile).
     */
    use: (tokenHash: string, now: Date, usable: (link: VerificationLink) => boolean) =>
      writeTransaction(db, async (trx): Promise<VerificationLink | undefined> => {
        const [row] = await dialectOf(trx).lockingRead(linkRow(trx, tokenHash));
        const link = row && toLink(row);
        if (!link || !usable(link)) return link;
        await trx('email_verifications').where('id', row.id).update({ used_at: now });
        await trx('email_verifications').where('user_id', link.userId).whereNot('id', row.id).del();
        await trx('users').where({ id: link.userId, email: link.email }).update({ email_verified_at: now });
        return link;
      }),
  };
}

export type EmailVerificationsRepository = ReturnType<typeof createEmailVerificationsRepository>;

import type { Knex } from 'knex';
import { forgetAppPasswords } from '../app-passwords/app-passwords.repository.js';
import { type Actor, recordAudit } from '../audit/audit.repository.js';
import { dialectOf } from '../db/dialect.js';
import { writeTransaction } from '../db/transaction.js';
import { readTimestamp } from '../db/timestamps.js';
import { normalizeUsername } from './accounts.schemas.js';

export interface User {
  id: number;
  username: string;
  email: string | null;
  /** Whether the current email address was confirmed through a link mailed to it. */
  emailVerified: boolean;
  isAdmin: boolean;
  sessionEpoch: number;
}

interface UserRow {
  id: number;
  username: string;
  email: string | null;
  email_verified_at: unknown;
  is_admin: number | boolean;
  session_epoch: number;
  password_hash: string;
}

export const toUser = (r: UserRow): User => ({
  id: Number(r.id),
  username: r.username,
  email: r.email,
  emailVerified: r.email != null && r.email_verified_at != null,
  isAdmin: Boolean(r.is_admin),
  sessionEpoch: Number(r.session_epoch),
});

/**
 * Sets a new password, in the caller's transaction: the new hash, a new epoch (which ends every
 * other session of this user) and every app password revoked, as apps were trusted on the old
 * password's word. Returns the new epoch.
 */
export async function setPasswordHash(trx: Knex.Transaction, id: number, passwordHash: string): Promise<number> {
  await trx('users')
    .where('id', id)
    .update({ password_hash: passwordHash, session_epoch: trx.raw('session_epoch + 1'), updated_at: trx.fn.now() });
  await forgetAppPasswords(trx, id);
  return Number((await trx('users').where('id', id).first('session_epoch')).session_epoch);
}

/** Locks the user's row for the rest of the transaction (a play's history write waits on it); undefined when gone. */
export async function lockUser(trx: Knex.Transaction, id: number): Promise<{ normalizedUsername: string; email: string | null } | undefined> {
  const [row] = await dialectOf(trx).lockingRead(trx('users').where('id', id).select('username_normalized', 'email'));
  return row ? { normalizedUsername: String(row.username_normalized), email: row.email ?? null } : undefined;
}

export async function deleteUser(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('users').where('id', id).del();
}

export function createUsersRepository(db: Knex) {
  return {
    async findById(id: number): Promise<User | undefined> {
      const row = await db('users').where('id', id).first();
      return row ? toUser(row) : undefined;
    },

    async findWithHash(username: string): Promise<(User & { passwordHash: string }) | undefined> {
      const row: UserRow | undefined = await db('users').where('username_normalized', normalizeUsername(username)).first();
      return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
    },

    async passwordHash(id: number): Promise<string | undefined> {
      return (await db('users').where('id', id).first('password_hash'))?.password_hash;
    },

    /** Inserts the user, or returns undefined when the (normalized) username is taken. */
    async insert(user: { username: string; email?: string; passwordHash: string }): Promise<number | undefined> {
      try {
        const [id] = await db('users').insert({
          username: user.username,
          username_normalized: normalizeUsername(user.username),
          email: user.email ?? null,
          password_hash: user.passwordHash,
        });
        return Number(id);
      } catch (err) {
        if (dialectOf(db).isUniqueViolation(err)) return undefined;
        throw err;
      }
    },

    changePassword: (id: number, passwordHash: string): Promise<number> => writeTransaction(db, (trx) => setPasswordHash(trx, id, passwordHash)),

    /**
     * The accounts a forgotten-password form names: the one with this username, or those with this
     * email (it is not unique), each saying whether its address is confirmed. Emails are compared
     * lower-cased; the column has no index, a scan the reset limits keep rare.
     */
    async findForRecovery(identifier: string, limit: number): Promise<User[]> {
      const query = identifier.includes('@')
        ? db('users').whereRaw('lower(email) = ?', [identifier.trim().toLowerCase()])
        : db('users').where('username_normalized', normalizeUsername(identifier));
      return (await query.orderBy('id').limit(limit)).map(toUser);
    },

    /** What the account export says about the account itself. */
    async profile(id: number): Promise<{ username: string; email: string | null; createdAt: Date } | undefined> {
      const row = await db('users').where('id', id).first('username', 'email', 'created_at');
      return row ? { username: String(row.username), email: row.email ?? null, createdAt: readTimestamp(row.created_at) } : undefined;
    },

    /** False when nobody has that username; a change of role goes on the audit log in its transaction. */
    setAdmin: (username: string, isAdmin: boolean, actor: Actor): Promise<boolean> =>
      writeTransaction(db, async (trx) => {
        const [user] = await dialectOf(trx).lockingRead(trx('users').where('username_normalized', normalizeUsername(username)).select('id', 'is_admin'));
        if (!user) return false;
        if (Boolean(user.is_admin) === isAdmin) return true;
        await trx('users').where('id', user.id).update({ is_admin: isAdmin });
        await recordAudit(trx, {
          actor,
          action: isAdmin ? 'user.grant_admin' : 'user.revoke_admin',
          recordType: 'user',
          recordId: Number(user.id),
          before: { username, isAdmin: !isAdmin },
          after: { username, isAdmin },
        });
        return true;
      }),
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

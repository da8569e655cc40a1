// app_passwords: each listener's passwords for Subsonic apps, sealed (see sealing.ts).
import type { Knex } from 'knex';
import { readTimestamp } from '../db/timestamps.js';

export interface AppPasswordRow {
  id: number;
  userId: number;
  name: string;
  sealed: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

type Row = Record<string, unknown>;
const toRow = (r: Row): AppPasswordRow => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  name: String(r.name),
  sealed: String(r.sealed),
  createdAt: readTimestamp(r.created_at),
  lastUsedAt: r.last_used_at == null ? null : readTimestamp(r.last_used_at),
});

/** Deletes the listener's app passwords, in the caller's transaction (the account is being deleted). */
export async function forgetAppPasswords(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('app_passwords').where('user_id', userId).del();
}

export function createAppPasswordsRepository(db: Knex) {
  return {
    async insert(userId: number, name: string, sealed: string, digest: string): Promise<number> {
      const [id] = await db('app_passwords').insert({ user_id: userId, name, sealed, digest });
      return Number(id);
    },

    async listByUser(userId: number): Promise<AppPasswordRow[]> {
      return (await db('app_passwords').where('user_id', userId).orderBy('id', 'desc')).map(toRow);
    },

    /**
     * The user a login name names (normalized as the web login does) with their app passwords: one
     * statement whether or not the name exists, so a wrong guess costs the same for both.
     */
    async byUsername(normalizedUsername: string): Promise<{ userId: number; passwords: AppPasswordRow[] } | undefined> {
      const rows: Row[] = await db('users as u')
        .leftJoin('app_passwords as a', 'a.user_id', 'u.id')
        .where('u.username_normalized', normalizedUsername)
        .orderBy('a.id', 'desc')
        .select('u.id as owner_id', 'a.id', 'a.user_id', 'a.name', 'a.sealed', 'a.created_at', 'a.last_used_at');
      if (rows.length === 0) return undefined;
      return { userId: Number(rows[0]!.owner_id), passwords: rows.filter((r) => r.id != null).map(toRow) };
    },

    async byDigest(digest: string): Promise<AppPasswordRow | undefined> {
      const row = await db('app_passwords').where('digest', digest).first();
      return row ? toRow(row) : undefined;
    },

    async used(id: number, resealed?: string): Promise<void> {
      await db('app_passwords')
        .where('id', id)
        .update({ last_used_at: new Date(), ...(resealed && { sealed: resealed }) });
    },

    /** Only the owner's: true when it was theirs and is gone now. */
    async revoke(userId: number, id: number): Promise<boolean> {
      return (await db('app_passwords').where({ id, user_id: userId }).del()) > 0;
    },
  };
}

export type AppPasswordsRepository = ReturnType<typeof createAppPasswordsRepository>;

// listener_radios: where each logged-in listener's walk through each genre stands.
import type { Knex } from 'knex';
import { GENRE_VISIBLE, type GenreOf } from '../catalog/genre.js';

/** Deletes where the listener's radios stand, in the caller's transaction (the account is being deleted). */
export async function forgetRadios(trx: Knex.Transaction, userId: number): Promise<void> {
  await trx('listener_radios').where('user_id', userId).del();
}

export type RecentRadio = GenreOf<'slug' | 'name', 'slug' | 'name'>;

export function createRadiosRepository(db: Knex) {
  return {
    /** The listener's cursor in the genre, if they have listened to it. */
    async find(userId: number, genreId: number): Promise<string | undefined> {
      const row = await db('listener_radios').where({ user_id: userId, genre_id: genreId }).first('cursor');
      return row ? String(row.cursor) : undefined;
    },

    /** The visible genres whose radio the listener played, the most recent first. */
    async recent(userId: number, limit: number): Promise<RecentRadio[]> {
      const rows = await db('listener_radios as r')
        .join('moods as m', 'm.id', 'r.genre_id')
        .join('drugs as d', 'd.id', 'm.drug_id')
        .where({ 'r.user_id': userId, ...GENRE_VISIBLE })
        .orderBy('r.updated_at', 'desc')
        .limit(limit)
        .select('d.slug as drug_slug', 'd.name as drug_name', 'm.slug as mood_slug', 'm.name as mood_name');
      return rows.map((r) => ({ drug: { slug: r.drug_slug, name: r.drug_name }, mood: { slug: r.mood_slug, name: r.mood_name } }));
    },

    /** Remembers where the listener's walk through the genre stands now. */
    async save(userId: number, genreId: number, cursor: string): Promise<void> {
      await db('listener_radios')
        .insert({ user_id: userId, genre_id: genreId, cursor, updated_at: new Date() })
        .onConflict(['user_id', 'genre_id'])
        .merge(['cursor', 'updated_at']);
    },
  };
}

export type RadiosRepository = ReturnType<typeof createRadiosRepository>;

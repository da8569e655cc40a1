// "Not for this vibe": songs a listener hid from their own draws of one genre.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hidden_songs', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('genre_id').unsigned().notNullable().references('id').inTable('moods').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    // The draw's left join looks each drawn song up by this key; /me/hidden reads its user_id range
    // (a few hundred rows at most) and sorts them. No other index starts with user_id, so the
    // optimizer never trades this key for one that reads all of a listener's rows per drawn song.
    t.primary(['user_id', 'genre_id', 'song_id'], 'hidden_songs_pkey');
    t.index(['song_id'], 'hidden_songs_song_index');
    t.index(['genre_id'], 'hidden_songs_genre_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('hidden_songs');
}

// A listener's own history: one row per play they reported while logged in, newest last. Each
// listener keeps at most their 200 newest rows: the play that adds one deletes what falls off the
// end in the same transaction, through listening_history_user_index (user_id, id), which also
// reads the page newest first — both a short range of one listener's entries, however many there are.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('listening_history', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    // The genre whose player played it; none for the favorites' and playlists' players, or once the mood is gone.
    t.integer('genre_id').unsigned().nullable().references('id').inTable('moods').onDelete('SET NULL');
    t.datetime('played_at').notNullable();
    t.index(['user_id', 'id'], 'listening_history_user_index');
    // Deleting a song or a mood finds its rows through these.
    t.index(['song_id'], 'listening_history_song_index');
    t.index(['genre_id'], 'listening_history_genre_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('listening_history');
}

// A listener's bookmarks: where in a song they stopped (milliseconds), one per song, as Subsonic
// apps keep them (createBookmark, getBookmarks, deleteBookmark).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bookmarks', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.bigInteger('position_ms').unsigned().notNullable();
    t.string('comment', 500).nullable();
    t.datetime('created_at').notNullable();
    t.datetime('changed_at').notNullable();
    t.primary(['user_id', 'song_id'], 'bookmarks_pkey');
    t.index(['song_id'], 'bookmarks_song_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bookmarks');
}

// A logged-in listener's radio per genre: where their walk stands, so it continues on any device.
// One row per listener and genre, rewritten at most once per batch.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('listener_radios', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('genre_id').unsigned().notNullable().references('id').inTable('moods').onDelete('CASCADE');
    /** The walk cursor after the last batch this listener was served (playlists/cursor.ts). */
    t.string('cursor', 255).notNullable();
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'genre_id'], 'listener_radios_pkey');
    // Deleting a mood finds its rows through this index.
    t.index(['genre_id'], 'listener_radios_genre_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('listener_radios');
}

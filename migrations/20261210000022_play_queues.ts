// A listener's play queue as their last Subsonic app saved it (savePlayQueue), so another device
// takes up where the first stopped: its songs in order, the current one, the position in it
// (milliseconds), when and by which app. One queue per listener.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('play_queues', (t) => {
    t.integer('user_id').unsigned().primary('play_queues_pkey').references('id').inTable('users').onDelete('CASCADE');
    t.integer('current_song_id').unsigned().nullable().references('id').inTable('songs').onDelete('SET NULL');
    t.bigInteger('position_ms').unsigned().notNullable().defaultTo(0);
    t.datetime('changed_at').notNullable();
    t.string('changed_by', 100).notNullable();
    t.index(['current_song_id'], 'play_queues_current_song_index');
  });
  await knex.schema.createTable('play_queue_songs', (t) => {
    t.integer('user_id').unsigned().notNullable().references('user_id').inTable('play_queues').onDelete('CASCADE');
    t.integer('position').unsigned().notNullable();
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.primary(['user_id', 'position'], 'play_queue_songs_pkey');
    t.index(['song_id'], 'play_queue_songs_song_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('play_queue_songs');
  await knex.schema.dropTable('play_queues');
}

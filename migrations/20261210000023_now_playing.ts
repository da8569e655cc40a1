// "Now playing" in Subsonic apps: the song each listener's app last said it started (a scrobble with
// submission=false, or a stream), by which app, and when; one row per listener. getNowPlaying also
// reads the listener's last play (listening_history).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('now_playing', (t) => {
    t.integer('user_id').unsigned().primary('now_playing_pkey').references('id').inTable('users').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.string('player', 100).notNullable();
    t.datetime('started_at').notNullable();
    t.index(['song_id'], 'now_playing_song_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('now_playing');
}

// What listeners tell the curators about a song in a genre, as daily rollups like the plays
// migration's: a report adds one to a single row (O(1), no growing log), and the admin's signals
// page reads at most one row per genre, song and day of its period, through the primary key's
// leading `day`. Signals are kept per genre (a skip says "not in this mood"), so only reports from a
// genre's player are recorded; genre_id is never null, which keeps the key the same on both databases.
// - early_skips / late_skips: the listener moved on before / after the first 30 seconds;
// - failures: the track could not be loaded;
// - hides: a listener hid the song from this genre.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('song_daily_signals', (t) => {
    t.date('day').notNullable();
    t.integer('genre_id').unsigned().notNullable().references('id').inTable('moods').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.integer('early_skips').unsigned().notNullable().defaultTo(0);
    t.integer('late_skips').unsigned().notNullable().defaultTo(0);
    t.integer('failures').unsigned().notNullable().defaultTo(0);
    t.integer('hides').unsigned().notNullable().defaultTo(0);
    t.primary(['day', 'genre_id', 'song_id'], 'song_daily_signals_pkey');
    // Deleting a mood or a song finds its rows through these.
    t.index(['genre_id'], 'song_daily_signals_genre_index');
    t.index(['song_id'], 'song_daily_signals_song_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('song_daily_signals');
}

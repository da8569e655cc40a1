// Listening statistics for the admin dashboard, kept as daily rollups so recording a play is a
// few single-row upserts (O(1), no growing log) and every dashboard query reads at most one row
// per day or per song and day, through a primary key:
// - daily_stats: playlists started and songs played per UTC day (the line chart: 30 rows);
// - song_daily_plays: plays per song per day (top played over a range of days);
// - genre_daily_plays: the same per genre, for plays that came from a drug → mood player.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('daily_stats', (t) => {
    t.date('day').primary('daily_stats_pkey');
    t.integer('playlists_started').unsigned().notNullable().defaultTo(0);
    t.integer('songs_played').unsigned().notNullable().defaultTo(0);
  });

  await knex.schema.createTable('song_daily_plays', (t) => {
    t.date('day').notNullable();
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.integer('plays').unsigned().notNullable().defaultTo(0);
    t.primary(['day', 'song_id'], 'song_daily_plays_pkey');
    // Deleting a song finds its rows through this index.
    t.index(['song_id'], 'song_daily_plays_song_index');
  });

  await knex.schema.createTable('genre_daily_plays', (t) => {
    t.date('day').notNullable();
    t.integer('genre_id').unsigned().notNullable().references('id').inTable('moods').onDelete('CASCADE');
    t.integer('playlists_started').unsigned().notNullable().defaultTo(0);
    t.integer('songs_played').unsigned().notNullable().defaultTo(0);
    t.primary(['day', 'genre_id'], 'genre_daily_plays_pkey');
    t.index(['genre_id'], 'genre_daily_plays_genre_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('genre_daily_plays');
  await knex.schema.dropTable('song_daily_plays');
  await knex.schema.dropTable('daily_stats');
}

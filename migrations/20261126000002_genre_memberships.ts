// The playlist engine's tables. Every song's membership in a genre (a mood row) carries a dense
// number row_id_per_genre in 1..N; genre_counts holds N. A draw is k random numbers in 1..N looked
// up through genre_songs_genre_row_unique — on InnoDB that index also carries the primary key
// (genre_id, song_id), so the lookup never touches the table rows.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('genre_songs', (t) => {
    t.integer('genre_id').unsigned().notNullable().references('id').inTable('moods').onDelete('RESTRICT');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('RESTRICT');
    t.integer('row_id_per_genre').unsigned().notNullable();
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.primary(['genre_id', 'song_id'], 'genre_songs_pkey');
    t.unique(['genre_id', 'row_id_per_genre'], { indexName: 'genre_songs_genre_row_unique' });
    t.index(['song_id'], 'genre_songs_song_index');
  });

  await knex.schema.createTable('genre_counts', (t) => {
    t.integer('genre_id').unsigned().primary('genre_counts_pkey').references('id').inTable('moods').onDelete('CASCADE');
    t.integer('song_count').unsigned().notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('genre_counts');
  await knex.schema.dropTable('genre_songs');
}

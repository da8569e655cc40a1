// Favorites, and the counts that let "most favorited" lists come straight from an index.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('favorites', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'song_id'], 'favorites_pkey');
    t.index(['user_id', 'created_at'], 'favorites_user_created_index');
    t.index(['song_id'], 'favorites_song_index');
  });
  await knex.schema.alterTable('songs', (t) => {
    t.integer('favorite_count').unsigned().notNullable().defaultTo(0);
    t.index(['favorite_count', 'id'], 'songs_favorite_count_index');
  });
  // Copied per membership so a genre's most favorited is one index range, not a scan of the genre.
  await knex.schema.alterTable('genre_songs', (t) => {
    t.integer('favorite_count').unsigned().notNullable().defaultTo(0);
    t.index(['genre_id', 'favorite_count'], 'genre_songs_genre_favorites_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('genre_songs', (t) => {
    t.dropIndex(['genre_id', 'favorite_count'], 'genre_songs_genre_favorites_index');
    t.dropColumn('favorite_count');
  });
  await knex.schema.alterTable('songs', (t) => {
    t.dropIndex(['favorite_count', 'id'], 'songs_favorite_count_index');
    t.dropColumn('favorite_count');
  });
  await knex.schema.dropTable('favorites');
}

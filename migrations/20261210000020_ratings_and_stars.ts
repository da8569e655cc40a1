// A listener's ratings (1–5) of songs, and their stars and ratings of albums and artists, as
// Subsonic apps set them (setRating, star). A song's star is its favorite (favorites). Albums and
// artists have no table: an artist is a name the catalog's songs carry, an album an artist's songs
// that share an album name ('' for the songs on none, their "Singles"), so the rows name them so.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('song_ratings', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.tinyint('rating').unsigned().notNullable();
    t.datetime('rated_at').notNullable();
    t.primary(['user_id', 'song_id'], 'song_ratings_pkey');
    t.index(['song_id'], 'song_ratings_song_index');
  });
  await knex.schema.createTable('artist_marks', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('artist', 200).notNullable();
    t.datetime('starred_at').nullable();
    t.tinyint('rating').unsigned().nullable();
    t.primary(['user_id', 'artist'], 'artist_marks_pkey');
  });
  await knex.schema.createTable('album_marks', (t) => {
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('artist', 200).notNullable();
    t.string('album', 200).notNullable();
    t.datetime('starred_at').nullable();
    t.tinyint('rating').unsigned().nullable();
    t.primary(['user_id', 'artist', 'album'], 'album_marks_pkey');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('album_marks');
  await knex.schema.dropTable('artist_marks');
  await knex.schema.dropTable('song_ratings');
}

// Listeners' own playlists. Each song of a playlist carries its place, kept dense (1..n) by the
// writes in src/user-playlists; a playlist is private until its owner shares it by its token.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_playlists', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 100).notNullable();
    t.boolean('is_public').notNullable().defaultTo(false);
    // crypto.randomBytes → base64url: the share link cannot be guessed from the playlist id.
    t.string('share_token', 32).notNullable().unique('user_playlists_share_token_unique');
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
    t.index(['user_id'], 'user_playlists_user_index');
  });

  await knex.schema.createTable('user_playlist_songs', (t) => {
    t.integer('playlist_id').unsigned().notNullable().references('id').inTable('user_playlists').onDelete('CASCADE');
    t.integer('song_id').unsigned().notNullable().references('id').inTable('songs').onDelete('CASCADE');
    t.integer('position').unsigned().notNullable();
    t.primary(['playlist_id', 'song_id'], 'user_playlist_songs_pkey');
    t.index(['playlist_id', 'position'], 'user_playlist_songs_playlist_position_index');
    // Deleting a song from the catalog finds its playlist rows through this index.
    t.index(['song_id'], 'user_playlist_songs_song_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_playlist_songs');
  await knex.schema.dropTable('user_playlists');
}

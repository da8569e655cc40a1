// A draw returns a song's track, its compressed copy, its loudness and its cover too (the player
// streams the copy and evens the level out), so memberships copy those columns as well, like the
// others of the draw-copies migration, and draws still read genre_songs alone.
import type { Knex } from 'knex';

const COPIED = ['track', 'stream_url', 'loudness_lufs', 'true_peak_db', 'cover'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('genre_songs', (t) => {
    t.integer('track').nullable();
    t.string('stream_url', 700).nullable();
    t.double('loudness_lufs').nullable();
    t.double('true_peak_db').nullable();
    t.string('cover', 64).nullable();
  });
  await knex('genre_songs').update(
    Object.fromEntries(COPIED.map((column) => [column, knex('songs').select(column).where('songs.id', knex.ref('genre_songs.song_id'))])),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('genre_songs', (t) => {
    for (const column of COPIED) t.dropColumn(column);
  });
}

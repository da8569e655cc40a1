// Draws on one index: each membership row carries a copy of what a draw returns of its song
// (title, artist, album, year, url, duration; favorite_count was copied already), so a draw reads
// genre_songs alone. On InnoDB the rows are also clustered by (genre_id, row_id_per_genre) — the
// primary key — so each drawn song is one B-tree descent instead of two (the membership index,
// then songs' primary key); (genre_id, song_id) stays unique through an index of its own. SQLite
// keeps its keys: a rowid table is not clustered by its primary key anyway.
// The copies are kept exact by the transactions that write songs and memberships
// (playlists/membership.ts, admin/songs) and checked by `npm run db:check`.
import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialect.js';

const COPIED = ['title', 'artist', 'album', 'year', 'url', 'duration_seconds'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('genre_songs', (t) => {
    t.string('title', 200).nullable();
    t.string('artist', 200).nullable();
    t.string('album', 200).nullable();
    t.integer('year').nullable();
    t.string('url', 700).nullable();
    t.integer('duration_seconds').nullable();
  });
  await knex('genre_songs').update(
    Object.fromEntries(COPIED.map((column) => [column, knex('songs').select(column).where('songs.id', knex.ref('genre_songs.song_id'))])),
  );
  await dialectOf(knex).clusterMembershipsByNumber(knex, true);
}

export async function down(knex: Knex): Promise<void> {
  await dialectOf(knex).clusterMembershipsByNumber(knex, false);
  await knex.schema.alterTable('genre_songs', (t) => {
    for (const column of COPIED) t.dropColumn(column);
  });
}

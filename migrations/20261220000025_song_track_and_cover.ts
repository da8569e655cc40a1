// What an uploaded file says of itself beyond title, artist, album and year: its track number, and
// its embedded cover, kept as a file beside the uploads (`cover` is that file's name).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.integer('track').nullable();
    t.string('cover', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.dropColumn('track');
    t.dropColumn('cover');
  });
}

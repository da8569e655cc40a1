// Where listeners stream a song from when it is not its own file: the compressed copy (AAC) of a
// lossless upload or of a demo song. `url` stays the original, which Subsonic's download serves;
// null means the original is what plays.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.string('stream_url', 700).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.dropColumn('stream_url');
  });
}

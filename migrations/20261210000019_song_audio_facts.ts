// What Subsonic apps show of a song's file: its size in bytes and its bit rate in kbit/s, read from
// an uploaded file when it is saved (src/media/audio-metadata.ts); unknown (null) for audio hosted
// elsewhere. The duration already has its column.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.bigInteger('size_bytes').nullable();
    t.integer('bit_rate').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.dropColumn('size_bytes');
    t.dropColumn('bit_rate');
  });
}

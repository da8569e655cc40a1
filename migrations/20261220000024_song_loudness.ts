// A song's loudness as measured from its own audio (EBU R128 by ffmpeg's ebur128 filter): its
// integrated loudness in LUFS and its true peak in dBTP. Null until measured, and for audio hosted
// elsewhere, which is never measured: the player plays such songs at unity gain.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.double('loudness_lufs').nullable();
    t.double('true_peak_db').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.dropColumn('loudness_lufs');
    t.dropColumn('true_peak_db');
  });
}

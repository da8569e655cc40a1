// Admin search by the start of a title or an artist, answered from indexes.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.index(['title'], 'songs_title_index');
    t.index(['artist'], 'songs_artist_index');
    t.index(['created_at'], 'songs_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('songs', (t) => {
    t.dropIndex(['title'], 'songs_title_index');
    t.dropIndex(['artist'], 'songs_artist_index');
    t.dropIndex(['created_at'], 'songs_created_at_index');
  });
}

// A counter that grows with every change to drugs and moods (catalog.writes.ts bumps it in the
// change's own transaction). Each process keeps the visible genres in memory and every playlist
// draw reads this counter in its one statement, so a process notices a catalog change at once.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_version', (t) => {
    t.integer('id').primary();
    t.bigInteger('version').notNullable().defaultTo(0);
  });
  await knex('catalog_version').insert({ id: 1, version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('catalog_version');
}

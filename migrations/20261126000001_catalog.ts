// Drugs and their moods (a drug → mood pair is a genre), and the songs.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('drugs', (t) => {
    t.increments('id');
    t.string('slug', 64).notNullable().unique('drugs_slug_unique');
    t.string('name', 64).notNullable();
    t.string('description', 255).notNullable().defaultTo('');
    t.string('color', 7).notNullable().defaultTo('#7c5cff');
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('hidden').notNullable().defaultTo(false);
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('moods', (t) => {
    t.increments('id');
    t.integer('drug_id').unsigned().notNullable().references('id').inTable('drugs').onDelete('RESTRICT');
    t.string('slug', 64).notNullable();
    t.string('name', 64).notNullable();
    t.string('description', 255).notNullable().defaultTo('');
    t.integer('position').notNullable().defaultTo(0);
    t.boolean('hidden').notNullable().defaultTo(false);
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
    t.unique(['drug_id', 'slug'], { indexName: 'moods_drug_slug_unique' });
  });

  await knex.schema.createTable('songs', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    t.string('artist', 200).notNullable();
    t.string('album', 200).nullable();
    t.integer('year').nullable();
    // 700 characters keeps the unique key under InnoDB's 3072-byte limit in utf8mb4.
    t.string('url', 700).notNullable().unique('songs_url_unique');
    t.integer('duration_seconds').nullable();
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('songs');
  await knex.schema.dropTable('moods');
  await knex.schema.dropTable('drugs');
}

// Password-reset links. Only the SHA-256 of each link's token is kept, so the table alone opens no
// account; a link works once (used_at) and until expires_at.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    /** SHA-256 of the token, hex: the link names its row through this. */
    t.string('token_hash', 64).notNullable().unique('password_resets_token_hash_unique');
    t.datetime('created_at').notNullable();
    t.datetime('expires_at').notNullable();
    t.datetime('used_at').nullable();
    t.index(['user_id'], 'password_resets_user_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_resets');
}

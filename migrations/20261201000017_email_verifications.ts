// Email addresses prove themselves before a password reset is mailed to them: users.email_verified_at
// says when the current address was confirmed (null: never, or it changed since), and each
// confirmation link keeps, like a reset link, only the SHA-256 of its token, plus the address it
// confirms (a link mailed to an address the account no longer has confirms nothing). Addresses
// stored before this migration count as unconfirmed.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.datetime('email_verified_at').nullable();
  });
  await knex.schema.createTable('email_verifications', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('email', 254).notNullable();
    /** SHA-256 of the token, hex: the link names its row through this. */
    t.string('token_hash', 64).notNullable().unique('email_verifications_token_hash_unique');
    t.datetime('created_at').notNullable();
    t.datetime('expires_at').notNullable();
    t.datetime('used_at').nullable();
    t.index(['user_id'], 'email_verifications_user_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('email_verifications');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('email_verified_at');
  });
}

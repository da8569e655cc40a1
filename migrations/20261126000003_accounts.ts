// Listeners' accounts and their sessions.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 32).notNullable();
    // NFKC + trim + lower-case: "Ann", "ANN" and "Ａｎｎ" are one user on every database.
    t.string('username_normalized', 32).notNullable().unique('users_username_normalized_unique');
    t.string('email', 254).nullable();
    t.string('password_hash', 255).notNullable();
    t.boolean('is_admin').notNullable().defaultTo(false);
    // Bumped by a password change: sessions that remember an older value are logged out.
    t.integer('session_epoch').notNullable().defaultTo(0);
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('updated_at').notNullable().defaultTo(knex.fn.now());
  });

  // The table connect-session-knex reads and writes (its own createTable is switched off).
  await knex.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary('sessions_pkey');
    t.text('sess').notNullable();
    t.datetime('expired').notNullable().index('sessions_expired_index');
  });

  // rate-limiter-flexible's table (login and registration limits), shared by every app process.
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary('rate_limits_pkey');
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('users');
}

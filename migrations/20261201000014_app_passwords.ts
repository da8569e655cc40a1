// App passwords: what a listener gives a Subsonic app instead of their account password. The
// Subsonic token scheme (t = md5(password + salt)) needs the password itself on the server, which
// an argon2id hash cannot give; so each app password is kept encrypted (AES-256-GCM, with a key
// derived from SESSION_SECRET), plus a SHA-256 of it to find one used as an OpenSubsonic apiKey.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('app_passwords', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('name', 64).notNullable();
    /** iv.ciphertext.tag, base64url: the password, encrypted. */
    t.string('sealed', 255).notNullable();
    /** SHA-256 of the password, hex: an apiKey names its row through this. */
    t.string('digest', 64).notNullable().unique('app_passwords_digest_unique');
    t.datetime('created_at').notNullable().defaultTo(knex.fn.now());
    t.datetime('last_used_at').nullable();
    t.index(['user_id'], 'app_passwords_user_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('app_passwords');
}

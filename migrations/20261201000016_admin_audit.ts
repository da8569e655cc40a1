// The admin audit log: one row per admin change, written in the change's own transaction. The
// actor's name is copied, not joined, so a row still says who it was after a rename or deletion;
// rows are never updated, so nothing references them and they reference nothing.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_audit', (t) => {
    t.increments('id');
    t.datetime('at').notNullable();
    /** Null for the command-line tools (actor_name "cli"). */
    t.integer('actor_user_id').unsigned().nullable();
    t.string('actor_name', 64).notNullable();
    t.string('action', 64).notNullable();
    t.string('record_type', 32).notNullable();
    t.string('record_id', 64).nullable();
    t.text('before_json').nullable();
    t.text('after_json').nullable();
    t.index(['at'], 'admin_audit_at_index');
    t.index(['record_type', 'record_id'], 'admin_audit_record_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_audit');
}

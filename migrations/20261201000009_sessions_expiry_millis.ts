// SQLite only: session expiries written before the session store became our own are ISO text,
// ours are epoch milliseconds. SQLite sorts text above every number, so the cleanup's
// `expired <= now` would never match the old rows: convert them. MySQL's DATETIME needs nothing.
import type { Knex } from 'knex';
import { dialectOf } from '../src/db/dialect.js';

export async function up(knex: Knex): Promise<void> {
  if (dialectOf(knex).name !== 'sqlite') return;
  await knex.raw("UPDATE sessions SET expired = CAST(ROUND((julianday(expired) - 2440587.5) * 86400000) AS INTEGER) WHERE typeof(expired) = 'text'");
}

export async function down(): Promise<void> {
  // Nothing to undo: milliseconds read back as the same moments.
}

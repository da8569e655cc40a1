// "Starts with what the person typed": LIKE 'text%' with their own %, _ and ! taken literally (each
// escaped with !: a backslash means different things in MySQL and SQLite literals).
import type { Knex } from 'knex';

/** `column LIKE 'text%'`, to pass to where() or orWhere(). */
export function startsWith(db: Knex, column: string, text: string): Knex.Raw {
  return db.raw("?? LIKE ? ESCAPE '!'", [column, `${text.replace(/[!%_]/g, (c) => `!${c}`)}%`]);
}

// The statements a piece of code sends, as knex reports them (its 'query' event): for a test that
// reads a statement's query plan, or a benchmark that counts its reads, without the code under
// test exposing how it builds them.
import type { Knex } from 'knex';

export interface Statement {
  sql: string;
  bindings: readonly Knex.Value[];
}

/** Every statement `db` sends while `action` runs, in order. */
export async function statementsOf(db: Knex, action: () => Promise<unknown>): Promise<Statement[]> {
  const sent: Statement[] = [];
  const record = (query: { sql: string; bindings?: readonly Knex.Value[] }) => sent.push({ sql: query.sql, bindings: query.bindings ?? [] });
  db.on('query', record);
  try {
    await action();
  } finally {
    db.off('query', record);
  }
  return sent;
}

/** The one statement `db` sends while `action` runs. */
export async function onlyStatementOf(db: Knex, action: () => Promise<unknown>): Promise<Statement> {
  const sent = await statementsOf(db, action);
  if (sent.length !== 1) throw new Error(`expected one statement, got ${sent.length}: ${sent.map((s) => s.sql).join(' | ')}`);
  return sent[0]!;
}

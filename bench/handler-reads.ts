// What one statement costs the storage engine, counted rather than timed: MySQL/MariaDB's
// `Handler_read%` session counters before and after it, on one connection. (SHOW STATUS moves
// some of those counters itself; two readings in a row measure that, and it is taken off.)
import type { Knex } from 'knex';

interface CallbackConnection {
  query(sql: string, callback: (err: Error | null, rows: { Variable_name: string; Value: string }[]) => void): void;
  execute(sql: string, values: readonly number[], callback: (err: Error | null) => void): void;
}

const STATUS = "SHOW SESSION STATUS LIKE 'Handler_read%'";

export async function handlerReads(db: Knex, sql: string, bindings: readonly number[]): Promise<Map<string, number>> {
  const connection = (await db.client.acquireConnection()) as CallbackConnection;
  const counters = () =>
    new Promise<Map<string, number>>((resolve, reject) =>
      connection.query(STATUS, (err, rows) => (err ? reject(err) : resolve(new Map(rows.map((r) => [r.Variable_name, Number(r.Value)]))))),
    );
  try {
    const first = await counters();
    const before = await counters();
    await new Promise<void>((resolve, reject) => connection.execute(sql, bindings, (err) => (err ? reject(err) : resolve())));
    const after = await counters();
    const reads = new Map<string, number>();
    for (const [name, value] of after) {
      const ownCost = before.get(name)! - first.get(name)!;
      const delta = value - before.get(name)! - ownCost;
      if (delta !== 0) reads.set(name, delta);
    }
    return reads;
  } finally {
    await db.client.releaseConnection(connection);
  }
}

export const describeReads = (reads: Map<string, number>) => [...reads].map(([name, n]) => `${name.replace(/^Handler_read_/, '')} ${n}`).join(', ') || 'none';

// A client-side deadline for every MySQL query, put on each connection as knex's pool creates it.
//
// Why client-side: a frozen server (SIGSTOPped, or a dead network path) keeps the TCP connection
// open and never answers, so only a timer of ours ends the wait. Nothing server-side
// (max_statement_time) can; mysql2's own `timeout` option fails the query but leaves the
// connection busy, so the pool would hand it out again to hang the next query; knex's
// `.timeout(ms, { cancel: true })` would have to be added to every query, and its cancel opens
// another connection to send KILL QUERY — which hangs too against a frozen server.
//
// Only public APIs are touched: knex's `pool.afterCreate` hands over each new mysql2 connection,
// and its `query()` and `destroy()` are mysql2's own. What this relies on is how knex uses them —
// test/db/library-internals.test.ts fails, saying which, if a new version changes it:
// - every statement knex runs, transaction control (BEGIN, COMMIT, ROLLBACK) included, goes
//   through the connection's `query(options, bindings, callback)`; the one statement run past
//   knex (the engine's prepared draw, db/dialect.ts) goes through its `execute(sql, values, callback)`;
// - a connection closed by `destroy()` is never handed out again by knex's pool (its validation
//   drops it), so a timed-out connection cannot hang the next query.
// On expiry the connection is destroyed and the query fails with QueryTimeoutError. A healthy but
// slow server may still finish the statement; an open transaction is rolled back when it sees the
// connection close (a COMMIT that timed out has an unknown outcome, as with any connection lost
// mid-commit). mysql2's destroy() half-closes the socket, which a frozen server only answers once
// it thaws or dies: at most one such socket per connection that was open when it froze, since new
// connections never get past the handshake (connectTimeout ends those).
// SQLite needs no timer: better-sqlite3 is synchronous, and busy_timeout bounds its only wait.

/**
 * A query outlived DB_QUERY_TIMEOUT_MS. Not a KnexTimeoutError on purpose: knex's runner takes
 * those for its own `.timeout()` and rewrites their message ("timeout of undefinedms").
 */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  readonly code = 'QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`Query timed out after ${timeoutMs} ms; its connection was closed`);
  }
}

/** The part of a mysql2 connection's public API the deadline uses. */
export interface MysqlConnection {
  query(...args: unknown[]): unknown;
  /** A server-side prepared statement (db/dialect.ts runs the playlist engine's hot draw through it). */
  execute(...args: unknown[]): unknown;
  destroy(): void;
}

type QueryCallback = (this: unknown, ...results: unknown[]) => void;

/** Makes every callback-style query or execute on `connection` fail with QueryTimeoutError after `timeoutMs`. */
export function addQueryDeadline(connection: MysqlConnection, timeoutMs: number): void {
  connection.query = withDeadline(connection, connection.query.bind(connection), timeoutMs);
  connection.execute = withDeadline(connection, connection.execute.bind(connection), timeoutMs);
}

function withDeadline(connection: MysqlConnection, send: (...args: unknown[]) => unknown, timeoutMs: number) {
  return (...args: unknown[]) => {
    const callback = args.at(-1);
    // Without a callback it is a streamed query (knex's .stream(), unused here): left as it is.
    if (typeof callback !== 'function') return send(...args);
    let answered = false;
    const timer = setTimeout(() => {
      answered = true;
      connection.destroy();
      (callback as QueryCallback)(new QueryTimeoutError(timeoutMs));
    }, timeoutMs);
    const onResult: QueryCallback = function (...results) {
      clearTimeout(timer);
      if (answered) return; // the server answered after all, too late: the caller has moved on
      answered = true;
      (callback as QueryCallback).apply(this, results);
    };
    return send(...args.slice(0, -1), onResult);
  };
}

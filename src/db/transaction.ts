// Transactions that write: run again on deadlock, lock timeout or (Galera) certification conflict,
// a bounded number of times, then ServiceBusy (503). Every capability that writes opens its
// transactions here.
//
// Also run again, within the pool's write-retry window (DB_WRITE_RETRY_MS, see createDb), when the
// database became unavailable *before COMMIT was sent*: the connection died mid-transaction (its
// node was killed, frozen or shut down), so the server rolled it back and nothing happened; a
// fresh connection reaches the node that answers now. A failure during COMMIT itself has an
// unknown outcome and is never repeated (it becomes a 503), unless the node refused the COMMIT
// outright (see refusedByNode).
import type { Knex } from 'knex';
import { ServiceBusy } from '../lib/errors.js';
import { dialectOf, isUnavailable } from './dialect.js';
import { writeRetryWindowOf } from './knex.js';

const MAX_ATTEMPTS = 6;

/**
 * A Galera node out of the primary component refuses every command, COMMIT included, with 1047
 * (ER_UNKNOWN_COM_ERROR) before doing anything: such a COMMIT certainly did not happen.
 */
const refusedByNode = (err: unknown) => (err as { errno?: unknown }).errno === 1047;
const UNAVAILABLE_BACKOFF_MS = [50, 100, 200, 300, 500];

/** Runs `work` in a transaction, again on deadlock or lock timeout (with jittered backoff). */
export async function writeTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  const started = Date.now();
  const windowMs = writeRetryWindowOf(db);
  let unavailable = 0;
  for (let attempt = 1; ; attempt++) {
    let committing = false;
    try {
      return await db.transaction(async (trx) => {
        const result = await work(trx);
        committing = true;
        return result;
      });
    } catch (err) {
      if ((!committing || refusedByNode(err)) && windowMs > 0 && isUnavailable(err)) {
        const wait = UNAVAILABLE_BACKOFF_MS[Math.min(unavailable++, UNAVAILABLE_BACKOFF_MS.length - 1)]!;
        if (Date.now() - started + wait <= windowMs) {
          attempt--; // not the database's refusal: does not count against MAX_ATTEMPTS
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
      }
      if (!dialect.isRetryable(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw new ServiceBusy();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

// Transactions that write: run again on deadlock or lock timeout, a bounded number of times, then
// ServiceBusy (503). Every capability that writes opens its transactions here.
import type { Knex } from 'knex';
import { ServiceBusy } from '../http/errors.js';
import { dialectOf } from './dialect.js';

const MAX_ATTEMPTS = 6;

/** Runs `work` in a transaction, again on deadlock or lock timeout (with jittered backoff). */
export async function writeTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const dialect = dialectOf(db);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      if (!dialect.isRetryable(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw new ServiceBusy();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

// Listener reads that survive a database node going away. A read changes nothing, so when it fails
// because the database is unavailable (its connection was cut, the node it reached is frozen,
// gone, or not Synced) it is safe to run again: on a fresh connection, which the load balancer
// (HAProxy in front of a Galera cluster) sends to a node that answers. Writes are never retried
// here: whether a lost COMMIT happened is unknown, and writeTransaction retries only what the
// database itself refused (deadlocks and certification conflicts).
import { isUnavailable } from './dialect.js';

export interface ReadRetryOptions {
  /** Give up (and let the error become a 503) once this long has passed since the first try. */
  withinMs: number;
  /** Called once for each read that needed another try, with what it failed with (metrics, the outage log). */
  onRetry?: (err: unknown) => void;
  /**
   * Try once more whatever `withinMs` says: the read replica's failover, where the read that failed
   * on the replica (now marked down) is answered by the primary.
   */
  once?: boolean;
}

const BACKOFF_MS = [50, 100, 200, 300, 500];

/** `repository` with every method run again on an unavailable database, until `withinMs` has passed. */
export function retryingReads<T extends object>(repository: T, { withinMs, onRetry, once = false }: ReadRetryOptions): T {
  if (withinMs <= 0 && !once) return repository;
  const wrapped = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(repository)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    wrapped[name] = async (...args: unknown[]) => {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return await method.apply(repository, args);
        } catch (err) {
          const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
          if (!isUnavailable(err) || (Date.now() - started + wait > withinMs && !(once && attempt === 0))) throw err;
          onRetry?.(err);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    };
  }
  return wrapped as T;
}

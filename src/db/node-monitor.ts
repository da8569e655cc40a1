// Which database node answers the app, and whether it may: a check every few seconds (never per
// request) reads the node's name and, on Galera, its state. It also keeps the log of an outage to
// one line: the first request or read that finds the database unavailable logs "database
// unavailable", later ones only count, and the first check that finds a ready node again (and no failure for 3 s) logs
// "database available again" with that count. Behind HAProxy the node may change at any time;
// `status()` says which one answered last.
import { within } from '../deadline.js';
import type { Logger } from '../logger.js';
import { dialectOf, type NodeStatus } from './dialect.js';
import type { Db } from './knex.js';

export interface NodeHealth {
  /** The node that answered the last check, if any did. */
  node?: string;
  /** It answered and may serve (on Galera: Synced in the primary component). */
  ready: boolean;
  galera?: NodeStatus['galera'];
  /** Requests or reads that found the database unavailable since the process started. */
  unavailableEvents: number;
  /** When the node answering the checks last changed (ms since the epoch). */
  changedAt?: number;
}

export interface NodeMonitorOptions {
  db: Db;
  logger?: Logger;
  checkEveryMs: number;
  checkTimeoutMs?: number;
}

/**
 * An outage ends at the first ready check after this long without a failure: the pool's other
 * connections to a dead node fail one by one as they are next used, and that is still the same
 * outage, not a new one per connection.
 */
const QUIET_MS = 3000;

export function createNodeMonitor({ db, logger, checkEveryMs, checkTimeoutMs = 1000 }: NodeMonitorOptions) {
  const dialect = dialectOf(db);
  let health: NodeHealth = { ready: true, unavailableEvents: 0 };
  let outage: { since: number; events: number; last: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  function endOutage() {
    if (!outage || Date.now() - outage.last < QUIET_MS) return;
    logger?.info({ db: { unavailableForMs: Date.now() - outage.since, failedRequests: outage.events, node: health.node } }, 'database available again');
    outage = undefined;
  }

  async function check(): Promise<void> {
    const status = await within(
      dialect.nodeStatus(db).catch(() => undefined),
      checkTimeoutMs,
      undefined,
    );
    const node = status?.node ?? health.node;
    health = {
      node,
      ready: status?.ready ?? false,
      galera: status?.galera,
      unavailableEvents: health.unavailableEvents,
      changedAt: node !== health.node ? Date.now() : health.changedAt,
    };
    if (health.ready) endOutage();
  }

  const checkNow = (): Promise<void> => (checking ??= check().finally(() => (checking = undefined)));

  return {
    status: (): NodeHealth => health,
    check: checkNow,

    /** The database was found unavailable: logged once per outage, counted always; a check runs now. */
    report(err: unknown): void {
      health.unavailableEvents++;
      if (outage) {
        outage.events++;
        outage.last = Date.now();
        return;
      }
      outage = { since: Date.now(), events: 1, last: Date.now() };
      // No message: knex prefixes it with the SQL and its bindings.
      const { code, errno, name } = (err ?? {}) as { code?: unknown; errno?: unknown; name?: unknown };
      logger?.warn({ db: { code, errno, name, node: health.node } }, 'database unavailable');
      void checkNow();
    },

    start(): void {
      timer ??= setInterval(() => void checkNow(), checkEveryMs).unref();
      void checkNow();
    },

    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

export type NodeMonitor = ReturnType<typeof createNodeMonitor>;

// DATABASE_READ_URL, kept honest: the listener's reads go to the replica while it answers and is
// close enough behind the primary, and to the primary otherwise — a replica that dies, freezes or
// lags costs no listener an error. A monitor reads the replica's own replication status every
// few seconds (never per request); a read that fails because the replica is unavailable marks it
// down at once and is tried again on the primary. Reads return to the replica once it is healthy.
import { within } from '../deadline.js';
import type { Logger } from '../logger.js';
import { dialectOf, isUnavailable } from './dialect.js';
import type { Db } from './knex.js';

export interface ReplicaStatus {
  /** Reads are going to the replica. */
  healthy: boolean;
  /** Why not, when not ("unreachable", "3 s behind…"). */
  reason?: string;
  /** Seconds behind the primary at the last check, when the replica said. */
  lagSeconds?: number;
}

export interface ReadReplicaOptions {
  primary: Db;
  replica: Db;
  /** REPLICA_MAX_LAG_SECONDS: further behind than this and reads go to the primary. */
  maxLagSeconds: number;
  checkEveryMs: number;
  /** A replica that has not answered its status within this is treated as frozen. */
  checkTimeoutMs?: number;
  logger?: Logger;
}

type Row = Record<string, unknown>;

/** SHOW REPLICA STATUS (MySQL 8.0.22+, MariaDB 10.5+); MySQL 8.4 no longer knows SHOW SLAVE STATUS. */
async function replicationStatus(replica: Db): Promise<Row | undefined> {
  const [rows] = (await replica.raw('SHOW REPLICA STATUS')) as [Row[]];
  return rows[0];
}

/** The last moment the replica was seen applying changes, and how far behind it was then. */
export interface Following {
  at: number;
  lagSeconds: number;
}

/**
 * Healthy, or why not, from one status row. A replica that stopped applying changes (its SQL or IO
 * thread stopped) reports no lag; it falls behind by at most the time since it was last seen
 * following, so it keeps the reads until that passes maxLagSeconds. MariaDB keeps the old column
 * names; MySQL renamed them.
 */
export function judgeStatus(row: Row | undefined, maxLagSeconds: number, last: Following | undefined, now: number): ReplicaStatus & { following?: Following } {
  if (!row) return { healthy: false, reason: 'not a replica (no replication configured)' };
  const io = row.Replica_IO_Running ?? row.Slave_IO_Running;
  const sql = row.Replica_SQL_Running ?? row.Slave_SQL_Running;
  const lag = row.Seconds_Behind_Source ?? row.Seconds_Behind_Master;
  if (io === 'Yes' && sql === 'Yes' && lag !== null && lag !== undefined) {
    const lagSeconds = Number(lag);
    const following = { at: now, lagSeconds };
    if (lagSeconds > maxLagSeconds)
      return { healthy: false, lagSeconds, following, reason: `${lagSeconds} s behind the primary (more than ${maxLagSeconds} s)` };
    return { healthy: true, lagSeconds, following };
  }
  const stopped = sql !== 'Yes' ? 'replication is stopped' : 'replication is not connected to the primary';
  if (!last) return { healthy: false, reason: `${stopped}, and was never seen following` };
  const lagSeconds = Math.ceil(last.lagSeconds + (now - last.at) / 1000);
  if (lagSeconds > maxLagSeconds)
    return { healthy: false, lagSeconds, reason: `${stopped}: up to ${lagSeconds} s behind the primary (more than ${maxLagSeconds} s)` };
  return { healthy: true, lagSeconds, reason: `${stopped}: up to ${lagSeconds} s behind the primary` };
}

export function createReadReplica({ primary, replica, maxLagSeconds, checkEveryMs, checkTimeoutMs = 1000, logger }: ReadReplicaOptions) {
  // Until the first check, trust the replica: the first failing read would mark it down anyway.
  let status: ReplicaStatus = { healthy: true };
  let following: Following | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  const set = (next: ReplicaStatus) => {
    if (next.healthy !== status.healthy) {
      if (next.healthy) logger?.info('read replica healthy again: listener reads go back to it');
      else logger?.warn({ reason: next.reason }, 'read replica unhealthy: listener reads go to the primary');
    }
    status = next;
  };

  /**
   * A replica's status — or, for a Galera node (HAProxy's read port in front of the cluster), its
   * own: a Synced node in the primary component is never behind by more than its apply queue.
   */
  async function judge(): Promise<ReplicaStatus & { following?: Following }> {
    const row = await replicationStatus(replica);
    if (!row) {
      const node = await dialectOf(replica).nodeStatus(replica);
      if (node.galera) return node.ready ? { healthy: true, lagSeconds: 0 } : { healthy: false, reason: `Galera node ${node.node} is ${node.galera.state}` };
    }
    return judgeStatus(row, maxLagSeconds, following, Date.now());
  }

  async function check(): Promise<void> {
    const judged = await within(
      judge().then(
        (judged) => judged,
        (err: unknown): ReplicaStatus => ({ healthy: false, reason: isUnavailable(err) ? 'unreachable' : `status unreadable (${(err as Error).message})` }),
      ),
      checkTimeoutMs,
      { healthy: false, reason: `no answer within ${checkTimeoutMs} ms (frozen?)` },
    );
    if ('following' in judged && judged.following) following = judged.following;
    set({ healthy: judged.healthy, reason: judged.reason, lagSeconds: judged.lagSeconds });
  }

  const checkNow = (): Promise<void> => (checking ??= check().finally(() => (checking = undefined)));

  return {
    status: (): ReplicaStatus => status,
    /** The replica's own pool (metrics read its counts). */
    replicaDb: replica,

    /** Checks now (a check already running is waited for, not doubled). */
    check: checkNow,

    /** Checks now and every checkEveryMs from here on. */
    start(): void {
      timer ??= setInterval(() => void checkNow(), checkEveryMs).unref();
      void checkNow();
    },

    /** Stops the checks and closes the replica's pool (the primary's is the caller's). */
    async close(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await replica.destroy();
    },

    /**
     * The database listener reads go to: each query runs on the replica while it is healthy, on the
     * primary otherwise. One handle, so each read repository is built once, on it, and its methods
     * stay its own. Each access picks the database anew: code that must use one database for two
     * steps (a connection acquired and released) takes `db.client` once. A read the replica fails by being unavailable is reported (readFailed), which
     * marks the replica down at once: the read's next try (db/read-retry.ts) goes to the primary.
     */
    reads: new Proxy(replica, {
      apply: (_target, _this, args: Parameters<Db>) => (status.healthy ? replica : primary)(...args),
      get: (_target, name) => Reflect.get(status.healthy ? replica : primary, name),
    }) as Db,

    /** A listener's read failed: true when it was the replica's (reads then leave it, now). */
    readFailed(err: unknown): boolean {
      if (!status.healthy || !isUnavailable(err)) return false;
      set({ healthy: false, reason: 'a read failed: unreachable' });
      return true;
    },
  };
}

export type ReadReplica = ReturnType<typeof createReadReplica>;

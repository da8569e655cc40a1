// Probes for a load balancer or orchestrator: /healthz says the process answers, /readyz says it
// should get traffic (the database answers quickly, is a Synced node on Galera, and no shutdown
// has begun).
import { Router, type Response } from 'express';
import { dialectOf } from '../db/dialect.js';
import type { Db } from '../db/knex.js';
import type { ReadReplica } from '../db/read-replica.js';
import { within } from '../deadline.js';
import { RETRY_AFTER_SECONDS } from '../lib/errors.js';

/** Shared with the server: shutdown sets `shuttingDown`, so /readyz turns 503 before draining. */
export interface Lifecycle {
  shuttingDown: boolean;
  /** Run after the last request has been answered and before the database closes (the last plays flush). */
  beforeClose?: (() => Promise<void>)[];
}

interface Deps {
  db: Db;
  state: Lifecycle;
  /** How long /readyz waits for `select 1`. */
  timeoutMs?: number;
  /** DATABASE_READ_URL, if set: /readyz says where reads go, but only the primary decides readiness. */
  readReplica?: Pick<ReadReplica, 'status'>;
}

export function createHealthRouter({ db, state, timeoutMs = 1000, readReplica }: Deps): Router {
  const router = Router();
  const answer = (res: Response, status: number, body: { status: string; reads?: unknown }) => {
    res.set('Cache-Control', 'no-store');
    if (status === 503) res.set('Retry-After', RETRY_AFTER_SECONDS);
    res.status(status).json(body);
  };

  router.get('/healthz', (_req, res) => answer(res, 200, { status: 'ok' }));

  router.get('/readyz', async (_req, res) => {
    if (state.shuttingDown) return answer(res, 503, { status: 'shutting_down' });
    const ready = await databaseAnswers(db, timeoutMs);
    if (state.shuttingDown) return answer(res, 503, { status: 'shutting_down' });
    answer(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', ...(readReplica && { reads: readsOf(readReplica.status()) }) });
  });

  return router;
}

/** Where the listener's reads go: `replica`, or `degraded` (on the primary) and why. */
const readsOf = ({ healthy, reason, lagSeconds }: ReturnType<ReadReplica['status']>) =>
  healthy ? { from: 'replica', lagSeconds } : { from: 'primary', degraded: true, reason };

/**
 * The database answers within the deadline and may serve: on a Galera node, only while it is
 * Synced in the primary component. Any error (refused, destroyed pool, timeout) means no.
 */
const databaseAnswers = (db: Db, timeoutMs: number): Promise<boolean> =>
  within(
    dialectOf(db)
      .nodeStatus(db)
      .then(
        (status) => status.ready,
        () => false,
      ),
    timeoutMs,
    false,
  );

// Prometheus metrics (prom-client: the client every Node exporter uses, with the process metrics
// and the text format built in, and a cluster aggregator for several workers). One registry per
// app, built here; what it measures is handed in by the parts that know it (app.ts wires them).
// README, Metrics, says what each means.
import client from 'prom-client';
import type { Db } from '../db/knex.js';
import type { NodeHealth } from '../db/node-monitor.js';
import type { ReplicaStatus } from '../db/read-replica.js';

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** tarn's pool, as knex lends it (its counts and its acquire events). */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  on(event: 'acquireRequest' | 'acquireSuccess' | 'acquireFail', listener: (eventId: number) => void): void;
}

export interface MetricsSources {
  /** The pools to report, by name (`write`, `read`). */
  pools?: Record<string, Db>;
  /** The node answering each pool, and its health. */
  nodes?: Record<string, () => NodeHealth>;
  replica?: () => ReplicaStatus;
  playsBuffered?: () => number;
}

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new client.Counter({
    name: 'stereodose_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestSeconds = new client.Histogram({
    name: 'stereodose_http_request_duration_seconds',
    help: 'Time from a request’s arrival to its answer, by method, route and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const rateLimited = new client.Counter({
    name: 'stereodose_rate_limited_total',
    help: 'Requests refused by a rate limit (429), by route',
    labelNames: ['route'] as const,
    registers,
  });
  const draws = new client.Counter({
    name: 'stereodose_draws_total',
    help: 'Playlist batches drawn (pages, API batches, radios, embeds, Subsonic)',
    registers,
  });
  const drawStatements = new client.Counter({
    name: 'stereodose_draw_statements_total',
    help: 'Statements the draws ran (draws arriving together share one)',
    registers,
  });
  const drawStatementSeconds = new client.Histogram({
    name: 'stereodose_draw_statement_duration_seconds',
    help: 'Time of one draw statement, connection wait included',
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const readRetries = new client.Counter({
    name: 'stereodose_db_read_retries_total',
    help: 'Listener reads tried again because the database was unavailable',
    registers,
  });
  const poolWaitSeconds = new client.Histogram({
    name: 'stereodose_db_pool_acquire_wait_seconds',
    help: 'Time a query waited for a pooled connection, by pool',
    labelNames: ['pool'] as const,
    buckets: SECONDS_BUCKETS,
    registers,
  });
  const poolAcquireFailures = new client.Counter({
    name: 'stereodose_db_pool_acquire_failures_total',
    help: 'Queries that got no pooled connection (timeout or refused), by pool',
    labelNames: ['pool'] as const,
    registers,
  });
  const playsFlushed = new client.Counter({
    name: 'stereodose_plays_flushed_total',
    help: 'Plays written to the daily rollups by batch flushes',
    registers,
  });
  const playFlushes = new client.Counter({
    name: 'stereodose_plays_flushes_total',
    help: 'Batch flushes of plays, by result (ok, failed: kept for the next one)',
    labelNames: ['result'] as const,
    registers,
  });
  const playFlushSeconds = new client.Histogram({
    name: 'stereodose_plays_flush_duration_seconds',
    help: 'Time of one successful flush transaction',
    buckets: SECONDS_BUCKETS,
    registers,
  });

  let sources: MetricsSources = {};
  new client.Gauge({
    name: 'stereodose_db_pool_connections',
    help: 'Pooled database connections by pool and state (used, free), and requests waiting for one (pending_acquires) or being connected (pending_creates)',
    labelNames: ['pool', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [name, db] of Object.entries(sources.pools ?? {})) {
        const pool = poolOf(db);
        if (!pool) continue;
        this.set({ pool: name, state: 'used' }, pool.numUsed());
        this.set({ pool: name, state: 'free' }, pool.numFree());
        this.set({ pool: name, state: 'pending_acquires' }, pool.numPendingAcquires());
        this.set({ pool: name, state: 'pending_creates' }, pool.numPendingCreates());
      }
    },
  });
  new client.Gauge({
    name: 'stereodose_db_node_ready',
    aggregator: 'min', // several workers (METRICS_PORT on a cluster's primary): ready only if all are
    help: 'Whether the database node answering each pool answered its last check and may serve (Galera: Synced), with its name',
    labelNames: ['pool', 'node'] as const,
    registers,
    collect() {
      this.reset();
      for (const [pool, health] of Object.entries(sources.nodes ?? {})) {
        const h = health();
        this.set({ pool, node: h.node ?? 'unknown' }, h.ready ? 1 : 0);
      }
    },
  });
  new client.Gauge({
    name: 'stereodose_db_galera_cluster_size',
    aggregator: 'min',
    help: 'Nodes in the Galera primary component, as the node answering each pool sees it',
    labelNames: ['pool'] as const,
    registers,
    collect() {
      this.reset();
      for (const [pool, health] of Object.entries(sources.nodes ?? {})) {
        const galera = health().galera;
        if (galera) this.set({ pool }, galera.clusterSize);
      }
    },
  });
  new client.Gauge({
    name: 'stereodose_db_unavailable_events',
    help: 'Requests or reads that found the database unavailable since the process started, by pool',
    labelNames: ['pool'] as const,
    registers,
    collect() {
      this.reset();
      for (const [pool, health] of Object.entries(sources.nodes ?? {})) this.set({ pool }, health().unavailableEvents);
    },
  });
  new client.Gauge({
    name: 'stereodose_read_replica_healthy',
    aggregator: 'min',
    help: 'DATABASE_READ_URL: whether listener reads go to the replica (1) or the primary (0)',
    registers,
    collect() {
      const status = sources.replica?.();
      if (status) this.set(status.healthy ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'stereodose_read_replica_lag_seconds',
    aggregator: 'max',
    help: 'DATABASE_READ_URL: how far behind the primary the replica was at its last check',
    registers,
    collect() {
      const lag = sources.replica?.().lagSeconds;
      if (lag !== undefined) this.set(lag);
    },
  });
  new client.Gauge({
    name: 'stereodose_plays_buffered',
    help: 'Plays counted in this process and not yet written',
    registers,
    collect() {
      if (sources.playsBuffered) this.set(sources.playsBuffered());
    },
  });

  const watchedPools = new WeakSet<object>();

  return {
    registry,

    /** Where the gauges read from; pools also get their acquire waits timed from here on. */
    observe(next: MetricsSources): void {
      sources = { ...sources, ...next, pools: { ...sources.pools, ...next.pools }, nodes: { ...sources.nodes, ...next.nodes } };
      for (const [name, db] of Object.entries(next.pools ?? {})) {
        const pool = poolOf(db);
        if (!pool || watchedPools.has(pool)) continue;
        watchedPools.add(pool);
        const waiting = new Map<number, number>();
        pool.on('acquireRequest', (id) => waiting.set(id, performance.now()));
        pool.on('acquireSuccess', (id) => {
          const since = waiting.get(id);
          waiting.delete(id);
          if (since !== undefined) poolWaitSeconds.observe({ pool: name }, (performance.now() - since) / 1000);
        });
        pool.on('acquireFail', (id) => {
          waiting.delete(id);
          poolAcquireFailures.inc({ pool: name });
        });
      }
    },

    /** One answered request. */
    request(method: string, route: string, status: number, seconds: number): void {
      requests.inc({ method, route, status: String(status) });
      requestSeconds.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
      if (status === 429) rateLimited.inc({ route });
    },
    drawn: () => draws.inc(),
    drawStatement: (seconds: number) => {
      drawStatements.inc();
      drawStatementSeconds.observe(seconds);
    },
    readRetried: () => readRetries.inc(),
    playsFlushed(plays: number, seconds: number): void {
      playsFlushed.inc(plays);
      playFlushes.inc({ result: 'ok' });
      playFlushSeconds.observe(seconds);
    },
    playFlushFailed: () => playFlushes.inc({ result: 'failed' }),

    /** The text exposition format, and its content type. */
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function poolOf(db: Db): TarnPool | undefined {
  // knex creates its tarn pool lazily (with the first query) and keeps it as client.pool.
  const client = db.client as { pool?: TarnPool; initializePool?: () => void };
  return client.pool;
}

// The HTTP server around createApp: timeouts for slow clients, and a graceful close for restarts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { settlesWithin } from './deadline.js';
import { type Config, isLoopback } from './config.js';
import { type Db, onConnectionLost } from './db/knex.js';
import { createNodeMonitor } from './db/node-monitor.js';
import type { ReadReplica } from './db/read-replica.js';
import type { Metrics } from './metrics/metrics.js';
import { createMetricsServer } from './metrics/metrics.routes.js';
import type { Lifecycle } from './health/health.routes.js';
import type { Logger } from './logger.js';

export interface ServerDeps {
  config: Readonly<Config>;
  db: Db;
  /** DATABASE_READ_URL's replica, if configured (see createApp); stopped and closed with db. */
  readReplica?: ReadReplica;
  logger: Logger;
  lifecycle: Lifecycle;
  /** Prometheus metrics, when METRICS_PORT or METRICS_TOKEN is set. */
  metrics?: Metrics;
  /**
   * Serve METRICS_PORT from this process (default: when metrics are on). A cluster's workers
   * leave it to the primary, which aggregates them.
   */
  servesMetricsPort?: boolean;
}

export interface RunningServer {
  server: http.Server;
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  /** METRICS_PORT's server, when this process serves it (its bound port). */
  metricsPort?: number;
  /** Where it listens, as a URL a browser on this machine can open, and who else can reach it. */
  address: { url: string; reachableFrom: 'this machine' | 'other machines' };
  /** Readiness off → stop accepting → drain in-flight requests (with a deadline) → close the database. */
  close(): Promise<void>;
}

/** While draining, sockets that finish their response become idle; close them this often. */
const IDLE_SWEEP_MS = 250;

export async function startServer({ config, db, readReplica, logger, lifecycle, metrics, servesMetricsPort = true }: ServerDeps): Promise<RunningServer> {
  const { headersMs, requestMs, keepAliveMs } = config.httpTimeouts;
  // Which node answers, its health, and one log line per outage (MySQL: behind HAProxy the node can change).
  const nodeMonitor = db.client.config.client === 'mysql2' ? createNodeMonitor({ db, logger, checkEveryMs: config.dbNodeCheckMs }) : undefined;
  nodeMonitor?.start();
  if (nodeMonitor) {
    // A pooled connection that died is the outage's one log line, not a warning per connection.
    const lost = () => nodeMonitor.report({ code: 'PROTOCOL_CONNECTION_LOST', name: 'ConnectionLost' });
    onConnectionLost(db, lost);
    if (readReplica) onConnectionLost(readReplica.replicaDb, lost);
  }
  // Node itself answers 408 to a client that has not sent its headers (or its whole request) in
  // time, checking every connectionsCheckingInterval; headersTimeout may not exceed requestTimeout.
  const server = http.createServer(
    {
      headersTimeout: Math.min(headersMs, requestMs),
      requestTimeout: requestMs,
      keepAliveTimeout: keepAliveMs,
      connectionsCheckingInterval: Math.min(1000, headersMs),
    },
    createApp({ config, db, readReplica, logger, lifecycle, metrics, nodeMonitor }),
  );
  const metricsServer = metrics && servesMetricsPort && config.metrics.port !== undefined ? createMetricsServer(() => metrics.render()) : undefined;
  const metricsPort = metricsServer ? await listen(metricsServer, config.metrics.port!, config.metrics.host) : undefined;

  await listen(server, config.port, config.host);
  const bound = server.address() as AddressInfo;
  const { port } = bound;

  let closing: Promise<void> | undefined;
  async function drainAndClose(): Promise<void> {
    lifecycle.shuttingDown = true; // /readyz answers 503 from now on
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections(); // server.close() alone would wait for idle keep-alive sockets
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const drained = await settlesWithin(closed, config.shutdownTimeoutMs);
    clearInterval(sweep);
    if (!drained) {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still running at the shutdown deadline; closing their connections');
      server.closeAllConnections();
      await closed;
    }
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    nodeMonitor?.stop();
    // What must reach the database before it closes (the plays counted since the last flush).
    for (const before of lifecycle.beforeClose ?? []) {
      try {
        await before();
      } catch (err) {
        logger.error({ err }, 'could not write what was pending before closing the database');
      }
    }
    // A frozen database never answers the pool's goodbye (COM_QUIT), so this wait is bounded too.
    const pools = readReplica ? [db.destroy(), readReplica.close()] : [db.destroy()];
    if (!(await settlesWithin(Promise.allSettled(pools), config.dbTimeouts.acquireMs))) {
      logger.warn('the database did not close its connections in time');
    }
  }

  return { server, port, metricsPort, address: describeAddress(bound), close: () => (closing ??= drainAndClose()) };
}

/** Listens on host:port; resolves to the port bound. */
export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** The bound address as a URL (every interface: this machine's loopback), and whether only this machine reaches it. */
function describeAddress({ address, family, port }: AddressInfo): RunningServer['address'] {
  const everywhere = address === '0.0.0.0' || address === '::';
  const host = everywhere ? '127.0.0.1' : family === 'IPv6' ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, reachableFrom: !everywhere && isLoopback(address) ? 'this machine' : 'other machines' };
}

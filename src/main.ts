// config → database → server. The only module with process-wide side effects, and the only entry
// point: with WEB_CONCURRENCY > 1 it becomes the cluster primary (cluster.ts), whose workers run
// this file again and serve; with 1 it prepares the database and serves by itself.
import cluster from 'node:cluster';
import { startDemoRendering } from './audio/demo-rendering.js';
import { runPrimary, shareMetricsWithPrimary } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createReadReplica } from './db/read-replica.js';
import { createDb } from './db/knex.js';
import { prepareDatabase } from './db/prepare.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/metrics.js';
import { startServer } from './server.js';

function readConfig(): Readonly<Config> {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createLogger(config.logLevel);

// A stray rejected promise is a bug to fix, not a reason to drop every listener's stream.
process.on('unhandledRejection', (reason) => {
  logger.error({ err: reason }, 'unhandled promise rejection');
});
// A thrown exception leaves the process in an unknown state: log it, and let Node exit 1 as usual
// (pino writes what is still buffered when the process exits).
process.on('uncaughtExceptionMonitor', (err, origin) => {
  logger.fatal({ err, origin }, 'uncaught exception; exiting');
});

async function serve(): Promise<void> {
  const serving = { queryTimeoutMs: config.dbTimeouts.queryMs, acquireTimeoutMs: config.dbTimeouts.acquireMs, logger };
  const db = await createDb(config.database, {
    ...serving,
    writeRetryMs: config.dbWriteRetryMs,
    ...(config.dbSyncWait !== undefined && { syncWait: config.dbSyncWait }),
  });
  // DATABASE_READ_URL: the listener's read-only pages read this replica (same deadlines); closed with
  // db. A read-only replica refuses CREATE DATABASE: replication brings the database there.
  const readDb = config.readDatabase ? await createDb(config.readDatabase, { ...serving, createDatabase: false }) : undefined;
  const readReplica = readDb && createReadReplica({ primary: db, replica: readDb, ...config.replica, logger });
  readReplica?.start();
  const lifecycle = { shuttingDown: false };
  const metrics = config.metrics.port !== undefined || config.metrics.token ? createMetrics() : undefined;
  // In a cluster the primary serves METRICS_PORT for every worker (cluster.ts).
  if (metrics && cluster.isWorker) shareMetricsWithPrimary(metrics);
  const { port, address, close, metricsPort } = await startServer({
    config,
    db,
    readReplica,
    logger,
    lifecycle,
    metrics,
    servesMetricsPort: !cluster.isWorker,
  });
  if (metricsPort !== undefined) logger.info({ metricsPort, host: config.metrics.host }, `metrics on http://${config.metrics.host}:${metricsPort}/metrics`);
  // The address actually bound, and whether other machines can reach it (HOST).
  logger.info(
    { port, host: config.host, url: address.url, reachableFrom: address.reachableFrom },
    `Stereodose is playing on ${address.url} (${config.database.client}; HOST=${config.host}, reachable from ${address.reachableFrom})`,
  );

  // The process that prepared the database renders what the demo songs still lack.
  const rendering = cluster.isWorker ? undefined : startDemoRendering(config, logger);

  async function shutdown(signal: NodeJS.Signals) {
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    let code = 0;
    try {
      await Promise.all([close(), rendering?.stop()]);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      code = 1;
    }
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(code);
  }
  if (cluster.isWorker) {
    // The primary forwards SIGTERM/SIGINT, and a terminal's Ctrl-C reaches the workers as well:
    // a repeat must not kill a draining worker.
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      void shutdown(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  } else {
    process.once('SIGTERM', (signal) => void shutdown(signal));
    process.once('SIGINT', (signal) => void shutdown(signal));
  }
}

if (cluster.isWorker) {
  await serve(); // the primary prepared the database before forking
} else if (config.webConcurrency > 1) {
  await runPrimary(config, logger);
} else {
  await prepareDatabase(config, logger);
  await serve();
}

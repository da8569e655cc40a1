// WEB_CONCURRENCY > 1: this process becomes the node:cluster primary. It prepares the database once,
// forks the workers (each runs main.ts's server; connections are handed out round-robin), starts a
// new worker when one dies, and on SIGTERM/SIGINT forwards the signal and waits for every worker to
// drain and exit. Sessions and rate limits live in the database, so the workers share them.
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { type BackgroundJob, startDemoRendering } from './audio/demo-rendering.js';
import type { Config } from './config.js';
import { prepareDatabase } from './db/prepare.js';
import { settlesWithin } from './deadline.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';
import { createMetricsServer } from './metrics/metrics.routes.js';
import { listen } from './server.js';

/** A worker: its registry is what the primary's aggregator asks every worker for. */
export function shareMetricsWithPrimary(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one is what makes a worker answer the primary's requests (prom-client adds its
  // message listener then).
  new AggregatorRegistry();
}

/** Restart backoff: 100 ms, doubling for each crash in a row, at most 10 s. */
const RESTART_FIRST_MS = 100;
const RESTART_MAX_MS = 10_000;
/** A worker that lived this long was healthy: its crash starts the backoff afresh. */
const HEALTHY_AFTER_MS = 30_000;
/** On top of a worker's own deadlines (drain, then close the pool) before it is SIGKILLed. */
const STOP_MARGIN_MS = 5000;

export async function runPrimary(config: Readonly<Config>, logger: Logger): Promise<void> {
  await prepareDatabase(config, logger);

  const forkedAt = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let everListened = false;
  let crashesInARow = 0;
  let stopping = false;
  let failedStops = 0;
  let allExited!: () => void;
  const exited = new Promise<void>((resolve) => (allExited = resolve));

  const fork = () => forkedAt.set(cluster.fork(), Date.now());
  let rendering: BackgroundJob | undefined;

  cluster.on('listening', () => (everListened = true));
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (forkedAt.get(worker) ?? Date.now());
    forkedAt.delete(worker);
    const workerPid = worker.process.pid;
    if (stopping) {
      if (code) failedStops++;
      logger.info({ workerPid, code, signal }, 'worker stopped');
      if (forkedAt.size === 0) allExited();
      return;
    }
    if (!everListened) {
      // Nothing ever served (a port in use, say): fail as a single process would, not loop.
      logger.fatal({ workerPid, code, signal }, 'a worker exited before any server was listening; stopping');
      void stop('SIGTERM', 1);
      return;
    }
    crashesInARow = lived >= HEALTHY_AFTER_MS ? 1 : crashesInARow + 1;
    const delayMs = Math.min(RESTART_FIRST_MS * 2 ** (crashesInARow - 1), RESTART_MAX_MS);
    logger.error({ workerPid, code, signal, restartInMs: delayMs }, 'worker died unexpectedly; starting another');
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping) fork();
    }, delayMs);
    restarts.add(timer);
  });

  async function stop(signal: NodeJS.Signals, exitCode = 0): Promise<void> {
    if (stopping) return; // a terminal's Ctrl-C reaches the workers too; they ignore repeats as well
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    logger.info({ signal, workers: forkedAt.size }, 'shutting down workers');
    if (forkedAt.size === 0) allExited();
    for (const worker of forkedAt.keys()) worker.process.kill(signal);
    await rendering?.stop();

    const deadlineMs = config.shutdownTimeoutMs + config.dbTimeouts.acquireMs + STOP_MARGIN_MS;
    if (!(await settlesWithin(exited, deadlineMs))) {
      logger.error({ deadlineMs, workers: forkedAt.size }, 'workers still running at the deadline; killing them');
      for (const worker of forkedAt.keys()) worker.process.kill('SIGKILL');
      await exited;
      exitCode = 1;
    }
    if (failedStops) exitCode = 1;
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(exitCode);
  }
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));

  logger.info({ workers: config.webConcurrency }, 'starting server processes');
  for (let i = 0; i < config.webConcurrency; i++) fork();

  // METRICS_PORT: every worker's metrics, summed (histograms and counters) by prom-client's aggregator.
  if (config.metrics.port !== undefined) {
    const aggregator = new AggregatorRegistry();
    const server = createMetricsServer(async () => ({ contentType: aggregator.contentType, body: await aggregator.clusterMetrics() }));
    const port = await listen(server, config.metrics.port, config.metrics.host);
    server.unref();
    logger.info({ metricsPort: port, host: config.metrics.host }, `metrics of every worker on http://${config.metrics.host}:${port}/metrics`);
  }
  // The workers serve; this process renders what the demo songs still lack.
  rendering = startDemoRendering(config, logger);
}

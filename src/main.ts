// config → database → server. The only module with process-wide side effects.
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb } from './db/knex.js';
import { migrateLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { seedDemoCatalog } from '../seeds/demo-catalog.js';

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

/** Migrations and the first-run seed run without the serving pool's query deadline. */
async function prepareDatabase(): Promise<void> {
  const db = await createDb(config.database, { logger });
  try {
    const applied = await migrateLatest(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (config.seedDemo && !(await db('drugs').first('id'))) {
      const seeded = await seedDemoCatalog(db);
      logger.info(seeded, 'demo catalog seeded');
    }
  } finally {
    await db.destroy();
  }
}

await prepareDatabase();
const db = await createDb(config.database, {
  queryTimeoutMs: config.dbTimeouts.queryMs,
  acquireTimeoutMs: config.dbTimeouts.acquireMs,
  logger,
});
const lifecycle = { shuttingDown: false };
const { port, close } = await startServer({ config, db, logger, lifecycle });
logger.info({ port }, `Stereodose is playing on http://localhost:${port} (${config.database.client})`);

async function shutdown(signal: NodeJS.Signals) {
  logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
  let code = 0;
  try {
    await close();
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    code = 1;
  }
  logger.info('stopped');
  await new Promise<void>((resolve) => logger.flush(() => resolve()));
  process.exit(code);
}
process.once('SIGTERM', (signal) => void shutdown(signal));
process.once('SIGINT', (signal) => void shutdown(signal));

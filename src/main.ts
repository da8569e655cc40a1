// config → database → createApp → listen. The only module with process-wide side effects.
import http from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDb } from './db/knex.js';
import { migrateLatest } from './db/migrate.js';
import { createLogger } from './logger.js';
import { seedDemoCatalog } from '../seeds/demo-catalog.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const db = await createDb(config.database);
const applied = await migrateLatest(db);
if (applied.length) logger.info({ applied }, 'migrations applied');
if (config.seedDemo && !(await db('drugs').first('id'))) {
  const seeded = await seedDemoCatalog(db);
  logger.info(seeded, 'demo catalog seeded');
}

const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, createApp({ config, db, logger }));
server.listen(config.port, config.host, () => {
  logger.info(`Stereodose is playing on http://localhost:${config.port} (${config.database.client})`);
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  server.closeIdleConnections();
  await db.destroy();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';

export const testConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });

export function createTestApp(db: Db, options: { random?: () => number } = {}) {
  return createApp({ config: testConfig, db, random: options.random });
}

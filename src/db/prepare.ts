// Migrations and the first-run seed: once per start, before any server process takes requests
// (main.ts runs it itself with one process, cluster.ts in the primary before forking workers).
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { seedDemoCatalog } from '../../seeds/demo-catalog.js';
import { audioServiceFor } from '../audio/audio-tools.js';
import { createDb } from './knex.js';
import { migrateLatest } from './migrate.js';

/** Runs without the serving pool's query deadline, on a pool of its own that it closes. */
export async function prepareDatabase(config: Readonly<Config>, logger: Logger): Promise<void> {
  const db = await createDb(config.database, { logger });
  try {
    const applied = await migrateLatest(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (config.seedDemo && !(await db('drugs').first('id'))) {
      const seeded = await seedDemoCatalog(db);
      logger.info(seeded, 'demo catalog seeded');
    }
    // Demo songs whose compressed audio is already rendered stream it from the first page on; the
    // rest are rendered in the background once the server listens (audio/demo-rendering.ts).
    const attached = await audioServiceFor(config, db).analyzeAll({ demoOnly: true }, { renderedOnly: true });
    if (attached.done) logger.info({ songs: attached.done }, 'demo songs take their rendered audio');
  } finally {
    await db.destroy();
  }
}

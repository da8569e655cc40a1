// npm run db:seed: migrates, then adds whatever part of the demo catalog is missing.
import { seedDemoCatalog } from '../../seeds/demo-catalog.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';

const db = await createDb(loadConfig().database);
try {
  await migrateLatest(db);
  const { songs, memberships } = await seedDemoCatalog(db);
  console.log(`Demo catalog: ${songs} songs; ${memberships} new genre memberships.`);
} finally {
  await db.destroy();
}

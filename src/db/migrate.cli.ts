// npm run db:migrate [-- --rollback]: applies (or rolls back) the migrations on DATABASE_URL.
import { loadConfig } from '../config.js';
import { createDb } from './knex.js';
import { migrateLatest, rollbackAll } from './migrate.js';

const config = loadConfig();
const db = await createDb(config.database);
try {
  const rollback = process.argv.includes('--rollback');
  const names = rollback ? await rollbackAll(db) : await migrateLatest(db);
  console.log(names.length ? `${rollback ? 'Rolled back' : 'Applied'}: ${names.join(', ')}` : 'Nothing to do.');
} finally {
  await db.destroy();
}

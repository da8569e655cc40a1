// npm run user:admin -- USERNAME [--revoke]: grants (or revokes) the admin role. This is how the
// first admin is made on a fresh install: there is no default admin account.
import { CLI_ACTOR } from '../audit/audit.repository.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createUsersRepository } from './users.repository.js';

const args = process.argv.slice(2);
const username = args.find((a) => !a.startsWith('--'));
if (!username) {
  console.error('Usage: npm run user:admin -- USERNAME [--revoke]');
  process.exit(2);
}
const grant = !args.includes('--revoke');
const db = await createDb(loadConfig().database);
try {
  await migrateLatest(db);
  if (await createUsersRepository(db).setAdmin(username, grant, CLI_ACTOR)) {
    console.log(grant ? `${username} is now an admin.` : `${username} is no longer an admin.`);
  } else {
    console.error(`No user named “${username}”. Register on the site first, then run this again.`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}

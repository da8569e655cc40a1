// npm run user:reset-link -- USERNAME: prints a password-reset link for that user (once, for an
// hour), for a site without SMTP_URL or an account without an email address: hand it over yourself.
import { createUsersRepository } from '../accounts/users.repository.js';
import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createPasswordResetsRepository } from './password-resets.repository.js';
import { createPasswordResetsService } from './password-resets.service.js';
import { utcMinute } from '../lib/utc.js';

const username = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!username) {
  console.error('Usage: npm run user:reset-link -- USERNAME');
  process.exit(2);
}
const config = loadConfig();
const db = await createDb(config.database);
try {
  await migrateLatest(db);
  const resets = createPasswordResetsService({ users: createUsersRepository(db), resets: createPasswordResetsRepository(db), siteUrl: config.publicUrl });
  const link = await resets.linkFor(username);
  if (!link) {
    console.error(`No user named “${username}”.`);
    process.exitCode = 1;
  } else {
    console.log(`A password reset link for ${link.username}, working once until ${utcMinute(link.expiresAt)}:`);
    console.log(link.url ?? link.path);
    if (!link.url) console.log("PUBLIC_URL is not set: put the site's address in front of that path (https://stereodose.example/reset/…).");
  }
} finally {
  await db.destroy();
}
